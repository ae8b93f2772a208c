namespace HospitalFed.Learning.Configuration;

/// <summary>The server strategies a training plan can ask for.</summary>
public enum StrategyKind
{
    /// <summary><see cref="Federation.FedAvg"/>.</summary>
    FedAvg,

    /// <summary><see cref="Federation.FedProx"/>.</summary>
    FedProx,

    /// <summary><see cref="Federation.FedAdam"/>.</summary>
    FedAdam,

    /// <summary><see cref="Federation.FedYogi"/>.</summary>
    FedYogi,

    /// <summary><see cref="Federation.FedAdagrad"/>.</summary>
    FedAdagrad,
}
