namespace LossLab.Scaling;

/// <summary>
/// The additive data-mixture law (Shukor et al. 2025, "Scaling Laws for Optimal Data Mixtures", arXiv:2507.09404):
/// L(N, D, h) = E + A/N^α + B/D^β + 1/(Σ_j C_j·h_j^γ_j), for a model of N parameters trained on D tokens drawn with domain
/// weights h (h_j ≥ 0, Σ h_j = 1). Parameters in order E, A, alpha, B, beta, then C_1…C_k and gamma_1…gamma_k; E, A, B and
/// the C_j are fitted in log space. Inputs N, D, h_1…h_k.
/// </summary>
/// <remarks>Domains with h_j = 0 contribute nothing to Σ_j C_j·h_j^γ_j (γ_j &gt; 0 assumed); at least one weight must be positive.
/// The paper also has a "joint" variant with mixture-dependent exponents, not implemented here; the additive form above
/// has not been checked term by term against the paper's equations.</remarks>
public sealed class DataMixtureLaw : ScalingLaw
{
    /// <summary>Declares the law for <paramref name="domains"/> ≥ 1 domains.</summary>
    public DataMixtureLaw(int domains) : base("additive data-mixture law", "L = E + A/N^α + B/D^β + 1/(Σ_j C_j·h_j^γ_j)",
        ["N", "D", .. Enumerable.Range(1, CheckDomains(domains)).Select(j => $"h_{j}")],
        [
            new("E", true, "irreducible loss"),
            new("A", true, "model-size coefficient"),
            new("alpha", false, "model-size exponent"),
            new("B", true, "data coefficient"),
            new("beta", false, "data exponent"),
            .. Enumerable.Range(1, domains).Select(j => new LawParameter($"C_{j}", true, $"weight of domain {j}")),
            .. Enumerable.Range(1, domains).Select(j => new LawParameter($"gamma_{j}", false, $"exponent of domain {j}")),
        ])
    {
        Domains = domains;
    }

    static int CheckDomains(int domains) =>
        domains >= 1 ? domains : throw new ArgumentOutOfRangeException(nameof(domains), domains, "domains must be at least 1.");

    /// <summary>The number of domains k.</summary>
    public int Domains { get; }

    /// <summary>Features log N, log D, then log h_j (−∞ for an absent domain).</summary>
    public override void Prepare(ReadOnlySpan<double> inputs, Span<double> features)
    {
        features[0] = Math.Log(PositiveInput(inputs[0], "N"));
        features[1] = Math.Log(PositiveInput(inputs[1], "D"));
        bool any = false;
        for (int j = 0; j < Domains; j++)
        {
            double h = inputs[2 + j];
            if (!(h >= 0) || !double.IsFinite(h))
                throw new ArgumentOutOfRangeException($"h_{j + 1}", h, "domain weights must be non-negative and finite.");
            any |= h > 0;
            features[2 + j] = h > 0 ? Math.Log(h) : double.NegativeInfinity;
        }
        if (!any) throw new ArgumentException("at least one domain weight must be positive.", "h");
    }

    /// <inheritdoc/>
    public override double LogValue(ReadOnlySpan<double> theta, ReadOnlySpan<double> features, Span<double> gradient)
    {
        int k = Domains;
        double logN = features[0], logD = features[1];
        // log H = LSE_j(c_j + γ_j·log h_j) over the present domains.
        double max = double.NegativeInfinity;
        for (int j = 0; j < k; j++)
            if (!double.IsNegativeInfinity(features[2 + j])) max = Math.Max(max, theta[5 + j] + theta[5 + k + j] * features[2 + j]);
        double sumH = 0;
        for (int j = 0; j < k; j++)
            if (!double.IsNegativeInfinity(features[2 + j])) sumH += Math.Exp(theta[5 + j] + theta[5 + k + j] * features[2 + j] - max);
        double logH = max + Math.Log(sumH);
        double u0 = theta[0], u1 = theta[1] - theta[2] * logN, u2 = theta[3] - theta[4] * logD, u3 = -logH;
        double m = Math.Max(Math.Max(u0, u1), Math.Max(u2, u3));
        double e0 = Math.Exp(u0 - m), e1 = Math.Exp(u1 - m), e2 = Math.Exp(u2 - m), e3 = Math.Exp(u3 - m);
        double total = e0 + e1 + e2 + e3;
        if (!gradient.IsEmpty)
        {
            double inv = 1 / total;
            double w0 = e0 * inv, w1 = e1 * inv, w2 = e2 * inv, w3 = e3 * inv;
            gradient[0] = w0;
            gradient[1] = w1;
            gradient[2] = -w1 * logN;
            gradient[3] = w2;
            gradient[4] = -w2 * logD;
            for (int j = 0; j < k; j++)
            {
                double lh = features[2 + j];
                if (double.IsNegativeInfinity(lh)) { gradient[5 + j] = 0; gradient[5 + k + j] = 0; continue; }
                double share = Math.Exp(theta[5 + j] + theta[5 + k + j] * lh - logH);   // C_j h_j^γ_j / H
                gradient[5 + j] = -w3 * share;
                gradient[5 + k + j] = -w3 * share * lh;
            }
        }
        return m + Math.Log(total);
    }
}
