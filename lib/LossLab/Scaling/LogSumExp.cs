namespace LossLab.Scaling;

/// <summary>Numerically stable log(Σ exp uᵢ) for the few terms of a law, with the softmax weights that are its gradient.</summary>
internal static class LogSumExp
{
    /// <summary>log(e^u0 + e^u1); w0, w1 are the weights e^uᵢ / Σ.</summary>
    public static double Of(double u0, double u1, out double w0, out double w1)
    {
        double max = Math.Max(u0, u1);
        double e0 = Math.Exp(u0 - max), e1 = Math.Exp(u1 - max);
        double sum = e0 + e1, inv = 1.0 / sum;
        w0 = e0 * inv; w1 = e1 * inv;
        return max + Math.Log(sum);
    }

    /// <summary>log(e^u0 + e^u1 + e^u2) with the three softmax weights.</summary>
    public static double Of(double u0, double u1, double u2, out double w0, out double w1, out double w2)
    {
        double max = Math.Max(u0, Math.Max(u1, u2));
        double e0 = Math.Exp(u0 - max), e1 = Math.Exp(u1 - max), e2 = Math.Exp(u2 - max);
        double sum = e0 + e1 + e2, inv = 1.0 / sum;
        w0 = e0 * inv; w1 = e1 * inv; w2 = e2 * inv;
        return max + Math.Log(sum);
    }
}
