namespace HospitalFed.Learning.Models;

/// <summary>
/// Scratch memory a model reuses across calls so that training allocates nothing per batch or
/// per sample. Create one per thread with <see cref="IModel{T}.CreateWorkspace"/>; not thread-safe.
/// </summary>
/// <typeparam name="T">Element type.</typeparam>
public sealed class ModelWorkspace<T>
{
    internal ModelWorkspace(object owner, int maxRows, int[] bufferLengths, int indexLength)
    {
        Owner = owner;
        MaxRows = maxRows;
        Buffers = new T[bufferLengths.Length][];
        for (var i = 0; i < bufferLengths.Length; i++)
        {
            Buffers[i] = new T[bufferLengths[i]];
        }

        Indices = new int[indexLength];
    }

    /// <summary>The largest batch this workspace serves.</summary>
    public int MaxRows { get; }

    internal object Owner { get; }

    internal T[][] Buffers { get; }

    internal int[] Indices { get; }

    internal void Check(object model, int rows)
    {
        if (!ReferenceEquals(model, Owner))
        {
            throw new ArgumentException("The workspace was created by a different model.", "workspace");
        }

        if (rows > MaxRows)
        {
            throw new ArgumentException($"Batch of {rows} rows exceeds the workspace capacity of {MaxRows}.", "workspace");
        }
    }
}
