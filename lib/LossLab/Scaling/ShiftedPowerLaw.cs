namespace LossLab.Scaling;

/// <summary>
/// The shifted power law of loss-to-loss prediction (Brandfonbrener et al. 2024, "Loss-to-Loss Prediction: Scaling Laws
/// for All Datasets", arXiv:2411.12925): L_y = K·(L_x − E_x)^κ + E_y, mapping a model's loss on one distribution to its
/// loss on another. Parameters in order K, kappa, E_x, E_y, all positive and fitted in log space. Undefined (NaN) for
/// L_x ≤ E_x.
/// </summary>
public sealed class ShiftedPowerLaw : ScalingLaw
{
    /// <summary>Declares the law.</summary>
    public ShiftedPowerLaw() : base("shifted power law", "L_y = K·(L_x − E_x)^κ + E_y", ["L_x"],
    [
        new("K", true, "coefficient"),
        new("kappa", true, "exponent κ"),
        new("E_x", true, "irreducible loss of the source distribution"),
        new("E_y", true, "irreducible loss of the target distribution"),
    ])
    { }

    /// <summary>Checks that L_x is positive.</summary>
    public override void Prepare(ReadOnlySpan<double> inputs, Span<double> features) => features[0] = PositiveInput(inputs[0], "L_x");

    /// <inheritdoc/>
    public override double LogValue(ReadOnlySpan<double> theta, ReadOnlySpan<double> features, Span<double> gradient)
    {
        double k = Math.Exp(theta[0]), kappa = Math.Exp(theta[1]), ex = Math.Exp(theta[2]), ey = Math.Exp(theta[3]);
        double gap = features[0] - ex;
        if (!(gap > 0)) return double.NaN;
        double logGap = Math.Log(gap);
        double term = k * Math.Exp(kappa * logGap);
        double loss = term + ey;
        if (!gradient.IsEmpty)
        {
            double inv = 1 / loss;
            gradient[0] = term * inv;
            gradient[1] = kappa * term * logGap * inv;
            gradient[2] = -ex * kappa * term / gap * inv;
            gradient[3] = ey * inv;
        }
        return Math.Log(loss);
    }
}
