namespace LossLab.Scaling;

/// <summary>
/// Kaplan et al.'s single-variable laws (2020, "Scaling Laws for Neural Language Models", arXiv:2001.08361):
/// L(N) = (N_c/N)^α_N with α_N ≈ 0.076, N_c ≈ 8.8·10¹³ non-embedding parameters, and L(D) = (D_c/D)^α_D with
/// α_D ≈ 0.095, D_c ≈ 5.4·10¹³ tokens. Parameters: the scale (fitted as its log) and the exponent (fitted in log space too,
/// being positive); log L = α·(log X_c − log X).
/// </summary>
public sealed class KaplanPowerLaw : ScalingLaw
{
    /// <summary>L(N) = (N_c/N)^α_N.</summary>
    public static KaplanPowerLaw ModelSize { get; } = new("N");

    /// <summary>L(D) = (D_c/D)^α_D.</summary>
    public static KaplanPowerLaw Data { get; } = new("D");

    KaplanPowerLaw(string v) : base($"Kaplan L({v})", $"L = ({v}_c/{v})^α_{v}", [v],
    [
        new($"{v}_c", true, $"critical {v}"),
        new($"alpha_{v}", true, $"exponent α_{v}"),
    ])
    { }

    /// <summary>Feature log X.</summary>
    public override void Prepare(ReadOnlySpan<double> inputs, Span<double> features) =>
        features[0] = Math.Log(PositiveInput(inputs[0], Inputs[0]));

    /// <inheritdoc/>
    public override double LogValue(ReadOnlySpan<double> theta, ReadOnlySpan<double> features, Span<double> gradient)
    {
        double gap = theta[0] - features[0], alpha = Math.Exp(theta[1]);
        double value = alpha * gap;
        if (!gradient.IsEmpty)
        {
            gradient[0] = alpha;
            gradient[1] = value;   // ∂(α·gap)/∂log α = α·gap
        }
        return value;
    }
}
