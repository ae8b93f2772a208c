namespace HospitalFed.Site.Keys;

/// <summary>Where the site agent keeps plan-long key material across restarts; the agent calls it, the service implements it.</summary>
public interface ISiteKeyStore
{
    /// <summary>The stored key material of <paramref name="planId"/>, or null. The caller disposes it.</summary>
    CkksKeyMaterial? Load(string planId);

    /// <summary>Stores <paramref name="material"/>, replacing what was stored for its plan.</summary>
    void Save(CkksKeyMaterial material);
}
