namespace LossLab.Optim;

/// <summary>Shape of the decay phase of a warmup–stable–decay schedule, as a function of the decay progress p ∈ [0, 1]
/// (Hägele et al., 2024, arXiv:2405.18392).</summary>
public enum WsdTail
{
    /// <summary>η = floor + (peak − floor)·(1 − p).</summary>
    Linear,
    /// <summary>η = floor + (peak − floor)·(1 + cos πp)/2.</summary>
    Cosine,
    /// <summary>η = floor + (peak − floor)·(1 − √p), the tail Hägele et al. found best.</summary>
    OneMinusSqrt,
}
