using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Tests.Losses;

/// <summary>Float64 helpers for loss tests: deterministic inputs, explicit-loop softmax, central differences and
/// autograd values and gradients of a loss written with tensors.</summary>
internal static class LossTestKit
{
    public static double[] Uniform(int count, int seed, double low = -3, double high = 3)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => low + (high - low) * rng.NextDouble()).ToArray();
    }

    public static long[] Labels(int count, int numClasses, int seed)
    {
        var rng = new Random(seed);
        var y = Enumerable.Range(0, count).Select(_ => (long)rng.Next(numClasses)).ToArray();
        for (int i = 0; i < Math.Min(count, numClasses); i++) y[i] = i;   // every class present when possible
        return y;
    }

    public static Tensor F64(double[] values, params long[] shape) => torch.tensor(values, ScalarType.Float64).reshape(shape);

    public static Tensor I64(long[] values) => torch.tensor(values, ScalarType.Int64);

    public static double[] Row(double[] x, int i, int c) => x.Skip(i * c).Take(c).ToArray();

    public static double[] LogSoftmax(double[] z)
    {
        double max = z.Max();
        double lse = max + Math.Log(z.Sum(v => Math.Exp(v - max)));
        return z.Select(v => v - lse).ToArray();
    }

    public static double[] Softmax(double[] z) => LogSoftmax(z).Select(Math.Exp).ToArray();

    public static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    /// <summary>Central differences of f at x, step h.</summary>
    public static double[] CentralDifference(Func<double[], double> f, double[] x, double h = 1e-6)
    {
        var g = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            var plus = (double[])x.Clone(); plus[i] += h;
            var minus = (double[])x.Clone(); minus[i] -= h;
            g[i] = (f(plus) - f(minus)) / (2 * h);
        }
        return g;
    }

    /// <summary>The value of a scalar loss of a float64 tensor built from x, and its autograd gradient.</summary>
    public static (double Value, double[] Grad) ValueAndGrad(Func<Tensor, Tensor> loss, double[] x, long[] shape)
    {
        using var scope = torch.NewDisposeScope();
        var input = F64(x, shape).detach().requires_grad_(true);
        var value = loss(input);
        value.backward();
        return (value.ToDouble(), input.numel() == 0 ? Array.Empty<double>() : input.grad!.data<double>().ToArray());
    }

    public static void Close(double expected, double actual, double tolerance = 1e-10)
    {
        double scale = Math.Max(1, Math.Abs(expected));
        Assert.True(Math.Abs(expected - actual) <= tolerance * scale, $"expected {expected:R}, got {actual:R} (tolerance {tolerance})");
    }

    public static void AllClose(double[] expected, double[] actual, double tolerance = 1e-10)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double scale = Math.Max(1, Math.Abs(expected[i]));
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * scale,
                $"index {i}: expected {expected[i]:R}, got {actual[i]:R} (tolerance {tolerance})");
        }
    }

    /// <summary>Checks a loss's value against a float64 reference and its autograd gradient against central
    /// differences of the reference.</summary>
    public static void MatchesReference(Func<Tensor, Tensor> loss, Func<double[], double> reference, double[] x, long[] shape,
        double valueTolerance = 1e-10, double gradientTolerance = 1e-6)
    {
        var (value, grad) = ValueAndGrad(loss, x, shape);
        Close(reference(x), value, valueTolerance);
        AllClose(CentralDifference(reference, x), grad, gradientTolerance);
    }

    /// <summary>Mean / sum / none of per-sample values with optional weights, the way the library defines them.</summary>
    public static double Reduce(double[] perSample, nn.Reduction reduction, double[]? weights = null)
    {
        weights ??= Enumerable.Repeat(1.0, perSample.Length).ToArray();
        double sum = perSample.Select((v, i) => v * weights[i]).Sum();
        return reduction switch
        {
            nn.Reduction.Sum => sum,
            nn.Reduction.Mean => weights.Sum() == 0 ? 0 : sum / weights.Sum(),
            _ => throw new ArgumentOutOfRangeException(nameof(reduction)),
        };
    }
}
