namespace HospitalFed.Dashboard.Internal;

/// <summary>
/// Login-link nonces already used, each kept until its link expires: a link works once. Bounded:
/// when full of unexpired nonces it refuses new logins rather than forget a used one.
/// </summary>
internal sealed class ReplayCache(int capacity = 10_000)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DateTimeOffset> _used = new(StringComparer.Ordinal);

    /// <summary>Records <paramref name="nonce"/>; false if it was used before (or the cache is full).</summary>
    public bool TryUse(string nonce, DateTimeOffset expires, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (_used.Count >= capacity)
            {
                foreach (var stale in _used.Where(u => u.Value <= now).Select(u => u.Key).ToList())
                {
                    _used.Remove(stale);
                }
            }

            return _used.Count < capacity && _used.TryAdd(nonce, expires);
        }
    }
}
