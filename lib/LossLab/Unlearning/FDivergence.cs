namespace LossLab.Unlearning;

/// <summary>The f-divergences of FLAT's variational objective, each with its output activation g* and the Fenchel
/// conjugate f* of its generator (Nowozin et al. 2016, f-GAN, arXiv:1606.00709, Table 2).</summary>
public enum FDivergence
{
    /// <summary>Kullback–Leibler: g*(v) = v, f*(t) = exp(t − 1).</summary>
    KullbackLeibler,
    /// <summary>Jensen–Shannon: g*(v) = log 2 − log(1 + e^(−v)), f*(t) = −log(2 − eᵗ).</summary>
    JensenShannon,
    /// <summary>Pearson χ²: g*(v) = v, f*(t) = t²/4 + t.</summary>
    Pearson,
    /// <summary>Total variation: g*(v) = ½ tanh(v), f*(t) = t.</summary>
    TotalVariation,
}
