using System.Runtime.Intrinsics;

namespace LossLab.Scaling;

/// <summary>
/// Chinchilla's parametric loss (Hoffmann et al. 2022, "Training Compute-Optimal Large Language Models", arXiv:2203.15556,
/// Approach 3): L(N, D) = E + A/N^α + B/D^β, for N parameters trained on D tokens. Parameters in order A, B, E, alpha,
/// beta; A, B, E are fitted as a = log A, b = log B, e = log E, and log L = LSE(a − α log N, b − β log D, e), as Hoffmann
/// et al. and Besiroglu et al. (2024, arXiv:2404.10102) write it. Paper fit: E = 1.69, A = 406.4, B = 410.7, α = 0.34, β = 0.28.
/// For the compute-optimal allocation under C = 6ND see <see cref="ChinchillaParameters.ComputeOptimal"/>.
/// </summary>
public sealed class ChinchillaLaw : ScalingLaw
{
    /// <summary>The law (it has no settings).</summary>
    public static ChinchillaLaw Instance { get; } = new();

    /// <summary>Declares the law.</summary>
    public ChinchillaLaw() : base("Chinchilla L(N, D)", "L = E + A/N^α + B/D^β", ["N", "D"],
    [
        new("A", true, "model-size coefficient"),
        new("B", true, "data coefficient"),
        new("E", true, "irreducible loss"),
        new("alpha", false, "model-size exponent α"),
        new("beta", false, "data exponent β"),
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
        double logN = features[0], logD = features[1];
        double value = LogSumExp.Of(theta[0] - theta[3] * logN, theta[1] - theta[4] * logD, theta[2], out double w0, out double w1, out double w2);
        if (!gradient.IsEmpty)
        {
            gradient[0] = w0;
            gradient[1] = w1;
            gradient[2] = w2;
            gradient[3] = -w0 * logN;
            gradient[4] = -w1 * logD;
        }
        return value;
    }

    /// <summary>Vectorised over points (four at a time with 256-bit vectors).</summary>
    public override void LogValues(ReadOnlySpan<double> theta, ReadOnlySpan<double> featureColumns, Span<double> values, Span<double> jacobian)
    {
        int n = values.Length;
        var logN = featureColumns[..n];
        var logD = featureColumns.Slice(n, n);
        bool grad = !jacobian.IsEmpty;
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var a = Vector256.Create(theta[0]); var b = Vector256.Create(theta[1]); var e = Vector256.Create(theta[2]);
            var alpha = Vector256.Create(theta[3]); var beta = Vector256.Create(theta[4]);
            for (; i <= n - 4; i += 4)
            {
                var ln = Vector256.Create(logN.Slice(i, 4));
                var ld = Vector256.Create(logD.Slice(i, 4));
                var u0 = a - alpha * ln;
                var u1 = b - beta * ld;
                var max = Vector256.Max(Vector256.Max(u0, u1), e);
                var e0 = Vector256.Exp(u0 - max);
                var e1 = Vector256.Exp(u1 - max);
                var e2 = Vector256.Exp(e - max);
                var sum = e0 + e1 + e2;
                (max + Vector256.Log(sum)).CopyTo(values.Slice(i, 4));
                if (!grad) continue;
                var inv = Vector256<double>.One / sum;
                var w0 = e0 * inv; var w1 = e1 * inv;
                w0.CopyTo(jacobian.Slice(i, 4));
                w1.CopyTo(jacobian.Slice(n + i, 4));
                (e2 * inv).CopyTo(jacobian.Slice(2 * n + i, 4));
                (-(w0 * ln)).CopyTo(jacobian.Slice(3 * n + i, 4));
                (-(w1 * ld)).CopyTo(jacobian.Slice(4 * n + i, 4));
            }
        }
        Span<double> point = stackalloc double[2];
        Span<double> gradient = stackalloc double[grad ? 5 : 0];
        for (; i < n; i++)
        {
            point[0] = logN[i]; point[1] = logD[i];
            values[i] = LogValue(theta, point, gradient);
            for (int j = 0; j < gradient.Length; j++) jacobian[j * n + i] = gradient[j];
        }
    }
}
