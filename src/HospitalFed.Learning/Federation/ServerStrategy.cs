using System.Numerics.Tensors;

namespace HospitalFed.Learning.Federation;

/// <summary>
/// A server-side federated optimiser. It sees only the SUM of the sites' update vectors
/// (<see cref="UpdateVectorLayout"/>), from which it forms the sample-weighted mean update
/// delta = sum(n_k delta_k) / sum(n_k) and applies it to the global model; so it runs unchanged on
/// securely aggregated vectors. Holds per-parameter state; one instance per training plan.
/// </summary>
public abstract class ServerStrategy
{
    private readonly float[] _delta;

    /// <summary>Initialises the strategy for <paramref name="parameterCount"/> parameters.</summary>
    /// <param name="parameterCount">Model size P.</param>
    /// <param name="serverLearningRate">Server step size eta (Reddi et al. 2021, Algorithm 2), positive.</param>
    protected ServerStrategy(int parameterCount, float serverLearningRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(parameterCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(serverLearningRate);
        _delta = new float[parameterCount];
        ServerLearningRate = serverLearningRate;
    }

    /// <summary>Display name, e.g. "FedAvg".</summary>
    public abstract string Name { get; }

    /// <summary>Server learning rate eta.</summary>
    public float ServerLearningRate { get; }

    /// <summary>
    /// Proximal coefficient mu that sites must use in local training (FedProx); 0 otherwise.
    /// </summary>
    public virtual float ClientProximalMu => 0;

    /// <summary>Model size P.</summary>
    public int ParameterCount => _delta.Length;

    /// <summary>
    /// Applies a round's summed update to <paramref name="globalModel"/> in place.
    /// </summary>
    /// <param name="globalModel">w_t, overwritten with w_{t+1}.</param>
    /// <param name="summedUpdate">Sum over sites of their update vectors, P + 1 + M elements.</param>
    /// <param name="layout">The update layout; its parameter count must equal <see cref="ParameterCount"/>.</param>
    /// <exception cref="ArgumentException">Sizes disagree or the summed sample count is not positive.</exception>
    public void Apply(Span<float> globalModel, ReadOnlySpan<float> summedUpdate, UpdateVectorLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        layout.Check(summedUpdate.Length, nameof(summedUpdate));
        if (layout.ParameterCount != ParameterCount || globalModel.Length != ParameterCount)
        {
            throw new ArgumentException($"Strategy built for {ParameterCount} parameters got a model of {globalModel.Length} and a layout of {layout.ParameterCount}.", nameof(globalModel));
        }

        var total = summedUpdate[layout.SampleCountIndex];
        if (!(total > 0) || !float.IsFinite(total))
        {
            throw new ArgumentException($"The summed sample count must be positive, got {total}.", nameof(summedUpdate));
        }

        TensorPrimitives.Divide(summedUpdate[..ParameterCount], total, _delta);
        Update(globalModel, _delta);
    }

    /// <summary>Applies the sample-weighted mean update <paramref name="averageDelta"/> to the model.</summary>
    protected abstract void Update(Span<float> globalModel, ReadOnlySpan<float> averageDelta);
}
