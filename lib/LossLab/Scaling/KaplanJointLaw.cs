namespace LossLab.Scaling;

/// <summary>
/// Kaplan et al.'s joint law in model size and data (2020, arXiv:2001.08361, eq. 1.5):
/// L(N, D) = [(N_c/N)^(α_N/α_D) + D_c/D]^α_D, paper values α_N = 0.076, α_D = 0.103, N_c = 6.4·10¹³, D_c = 1.8·10¹³.
/// Parameters in order N_c, D_c, alpha_N, alpha_D, all positive and fitted in log space;
/// log L = α_D·LSE((α_N/α_D)(log N_c − log N), log D_c − log D).
/// </summary>
public sealed class KaplanJointLaw : ScalingLaw
{
    /// <summary>Declares the law.</summary>
    public KaplanJointLaw() : base("Kaplan L(N, D)", "L = [(N_c/N)^(α_N/α_D) + D_c/D]^α_D", ["N", "D"],
    [
        new("N_c", true, "critical model size"),
        new("D_c", true, "critical data size"),
        new("alpha_N", true, "model-size exponent"),
        new("alpha_D", true, "data exponent"),
    ])
    { }

    /// <summary>Features log N, log D.</summary>
    public override void Prepare(ReadOnlySpan<double> inputs, Span<double> features)
    {
        features[0] = Math.Log(PositiveInput(inputs[0], "N"));
        features[1] = Math.Log(PositiveInput(inputs[1], "D"));
    }

    /// <inheritdoc/>
    public override double LogValue(ReadOnlySpan<double> theta, ReadOnlySpan<double> features, Span<double> gradient)
    {
        double alphaN = Math.Exp(theta[2]), alphaD = Math.Exp(theta[3]);
        double gapN = theta[0] - features[0], ratio = alphaN / alphaD;
        double u0 = ratio * gapN, u1 = theta[1] - features[1];
        double lse = LogSumExp.Of(u0, u1, out double w0, out double w1);
        if (!gradient.IsEmpty)
        {
            gradient[0] = alphaN * w0;              // α_D·w0·(α_N/α_D)
            gradient[1] = alphaD * w1;
            gradient[2] = alphaD * w0 * u0;         // ∂u0/∂log α_N = u0
            gradient[3] = alphaD * (lse - w0 * u0); // ∂u0/∂log α_D = −u0
        }
        return alphaD * lse;
    }
}
