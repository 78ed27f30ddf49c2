using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Tests.Losses.Pairs;

/// <summary>Float64 explicit-loop references and tensor helpers shared by the pair-loss tests.</summary>
internal static class PairReference
{
    public static double[][] RandomEmbeddings(int n, int d, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, d).Select(_ => rng.NextDouble() * 2 - 1).ToArray()).ToArray();
    }

    public static Tensor ToTensor(double[][] x, ScalarType dtype, bool requiresGrad = false)
    {
        var flat = x.SelectMany(r => r).ToArray();
        var t = tensor(flat, new long[] { x.Length, x[0].Length }, ScalarType.Float64).to_type(dtype);
        if (requiresGrad) t.requires_grad_(true);
        return t;
    }

    public static Tensor Labels(params long[] labels) => tensor(labels, ScalarType.Int64);

    public static double Norm(double[] a) => Math.Sqrt(a.Sum(v => v * v));

    public static double Cosine(double[] a, double[] b)
    {
        double dot = 0;
        for (int i = 0; i < a.Length; i++) dot += a[i] * b[i];
        return dot / (Norm(a) * Norm(b));
    }

    /// <summary>Euclidean distance between the L2-normalised vectors.</summary>
    public static double NormalizedEuclidean(double[] a, double[] b)
    {
        double na = Norm(a), nb = Norm(b), s = 0;
        for (int i = 0; i < a.Length; i++) { var d = a[i] / na - b[i] / nb; s += d * d; }
        return Math.Sqrt(s);
    }

    public static double Softplus(double x) => x > 30 ? x : Math.Log(1 + Math.Exp(x));

    public static double LogSumExp(IEnumerable<double> xs)
    {
        var arr = xs.ToArray();
        var m = arr.Max();
        return m + Math.Log(arr.Sum(v => Math.Exp(v - m)));
    }

    public static double AverageNonZero(IEnumerable<double> values)
    {
        var pos = values.Where(v => v > 0).ToArray();
        return pos.Length == 0 ? 0 : pos.Average();
    }

    public static double Value(Tensor t) => t.to_type(ScalarType.Float64).item<double>();

    public static void Close(double expected, double actual, ScalarType dtype, double? rtol = null)
    {
        var tol = rtol ?? (dtype == ScalarType.Float64 ? 1e-6 : 1e-4);
        Assert.True(Math.Abs(expected - actual) <= tol * Math.Max(1e-3, Math.Abs(expected)),
            $"expected {expected:R}, got {actual:R} (rtol {tol})");
    }

    /// <summary>Checks the gradient of <paramref name="loss"/> at <paramref name="x"/> against central differences (float64).</summary>
    public static void GradientMatchesFiniteDifferences(double[][] x, Func<Tensor, Tensor> loss, double h = 1e-6, double tol = 1e-6)
    {
        var input = ToTensor(x, ScalarType.Float64, requiresGrad: true);
        loss(input).backward();
        var analytic = input.grad!.data<double>().ToArray();
        int d = x[0].Length, k = 0;
        for (int i = 0; i < x.Length; i++)
            for (int j = 0; j < d; j++, k++)
            {
                var plus = x.Select(r => (double[])r.Clone()).ToArray();
                var minus = x.Select(r => (double[])r.Clone()).ToArray();
                plus[i][j] += h; minus[i][j] -= h;
                double fp, fm;
                using (no_grad()) { fp = Value(loss(ToTensor(plus, ScalarType.Float64))); fm = Value(loss(ToTensor(minus, ScalarType.Float64))); }
                var numeric = (fp - fm) / (2 * h);
                Assert.True(Math.Abs(numeric - analytic[k]) <= tol * Math.Max(1, Math.Abs(numeric)),
                    $"d/dx[{i},{j}]: analytic {analytic[k]:R}, finite difference {numeric:R}");
            }
    }

    /// <summary>Asserts a loss is exactly 0 and that its gradient exists and is all zeros.</summary>
    public static void ZeroWithZeroGradient(Func<Tensor, Tensor> loss, double[][] x)
    {
        var input = ToTensor(x, ScalarType.Float64, requiresGrad: true);
        var value = loss(input);
        Assert.Equal(0.0, Value(value));
        value.backward();
        Assert.NotNull(input.grad);
        Assert.All(input.grad!.data<double>().ToArray(), g => Assert.Equal(0.0, g));
    }

    public static readonly ScalarType[] Dtypes = [ScalarType.Float32, ScalarType.Float64];
}
