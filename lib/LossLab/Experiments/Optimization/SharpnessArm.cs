namespace LossLab.Experiments.Optimization;

/// <summary>An arm of <see cref="SharpnessBench"/>: SGD with momentum alone, or SAM (Foret et al., 2021, "Sharpness-Aware
/// Minimization for Efficiently Improving Generalization", arXiv:2010.01412) around the same SGD with radius ρ.</summary>
public sealed record SharpnessArm
{
    SharpnessArm(string name, double? rho)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (rho is { } r && !(r > 0 && double.IsFinite(r)))
            throw new ArgumentOutOfRangeException(nameof(rho), rho, "SAM's radius ρ must be positive and finite.");
        Name = name;
        Rho = rho;
    }

    /// <summary>The arm's name.</summary>
    public string Name { get; }

    /// <summary>SAM's radius ρ; null for the base optimizer alone.</summary>
    public double? Rho { get; }

    /// <summary>SGD with momentum (the base optimizer).</summary>
    public static SharpnessArm Sgd(string name = "SGD") => new(name, null);

    /// <summary>SAM with radius <paramref name="rho"/> (paper 0.05, larger with label noise) around the same SGD.</summary>
    public static SharpnessArm Sam(double rho, string name = "SAM") => new(name, rho);
}
