namespace LossLab.Experiments.Imbalance;

/// <summary>The classifier head a long-tail method puts on the shared body.</summary>
public enum HeadKind
{
    /// <summary>An affine layer z = W·h + b (the CE family).</summary>
    Linear,

    /// <summary>LDAM-DRW's cosine head z_c = cos(w_c, h) without bias (<see cref="Losses.NormedLinear"/>; Cao et al. 2019,
    /// arXiv:1906.07413); the loss supplies the scale s.</summary>
    NormedLinear,

    /// <summary>A linear layer z = W·h without bias (bias-free networks of the neural-collapse theory).</summary>
    BiasFreeLinear,
}
