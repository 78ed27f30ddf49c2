using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Tests.Unlearning;

/// <summary>A tiny float64 linear classifier z = W x + b with fixed weights, its data, and explicit-loop references.</summary>
internal static class Tiny
{
    public static readonly double[,] W = { { 0.5, -1.0 }, { 0.2, 0.3 }, { -0.7, 0.8 } };
    public static readonly double[] B = { 0.1, -0.2, 0.05 };
    public static readonly double[,] W2 = { { -0.3, 0.6 }, { 0.9, -0.4 }, { 0.1, 0.2 } };
    public static readonly double[] B2 = { 0.0, 0.3, -0.1 };

    public static readonly double[][] ForgetX = [[1.0, 2.0], [-0.5, 0.3], [2.0, -1.0]];
    public static readonly long[] ForgetY = [0, 2, 1];
    public static readonly double[][] RetainX = [[0.3, -0.2], [1.5, 0.5], [-1.0, -1.0], [0.0, 0.7]];
    public static readonly long[] RetainY = [1, 0, 2, 2];

    public static TorchSharp.Modules.Linear Model(double[,]? w = null, double[]? b = null)
    {
        w ??= W; b ??= B;
        var lin = nn.Linear(2, 3, dtype: ScalarType.Float64);
        using var _ = no_grad();
        lin.weight!.copy_(tensor(w, dtype: ScalarType.Float64));
        lin.bias!.copy_(tensor(b, dtype: ScalarType.Float64));
        return lin;
    }

    public static Tensor X(double[][] rows) => tensor(rows.SelectMany(r => r).ToArray(), [rows.Length, rows[0].Length], dtype: ScalarType.Float64);
    public static Tensor Y(long[] y) => tensor(y, dtype: ScalarType.Int64);

    public static LossLab.Unlearning.UnlearningBatch Batch(int step = 0) => new(X(ForgetX), Y(ForgetY), X(RetainX), Y(RetainY), step);

    public static double[] Logits(double[] x, double[,]? w = null, double[]? b = null)
    {
        w ??= W; b ??= B;
        var z = new double[3];
        for (int c = 0; c < 3; c++) { z[c] = b[c]; for (int d = 0; d < 2; d++) z[c] += w[c, d] * x[d]; }
        return z;
    }

    public static double[] Softmax(double[] z, double t = 1.0)
    {
        double m = z.Max(), s = 0;
        var e = z.Select(v => Math.Exp((v - m) / t)).ToArray();
        foreach (var v in e) s += v;
        return e.Select(v => v / s).ToArray();
    }

    public static double Ce(double[] z, long y) => -Math.Log(Softmax(z)[y]);

    public static double MeanCe(double[][] xs, long[] ys, double[,]? w = null, double[]? b = null)
    {
        double s = 0;
        for (int i = 0; i < xs.Length; i++) s += Ce(Logits(xs[i], w, b), ys[i]);
        return s / xs.Length;
    }

    /// <summary>∂ mean CE / ∂W and ∂b for the linear model, in closed form: (p − e_y) xᵀ averaged.</summary>
    public static (double[,] GW, double[] GB) CeGrad(double[][] xs, long[] ys)
    {
        var gw = new double[3, 2]; var gb = new double[3];
        for (int i = 0; i < xs.Length; i++)
        {
            var p = Softmax(Logits(xs[i]));
            for (int c = 0; c < 3; c++)
            {
                double r = (p[c] - (c == ys[i] ? 1 : 0)) / xs.Length;
                gb[c] += r;
                for (int d = 0; d < 2; d++) gw[c, d] += r * xs[i][d];
            }
        }
        return (gw, gb);
    }

    public static double Value(Tensor t) => t.to_type(ScalarType.Float64).item<double>();
    public static double[] Flat(Tensor t) => t.detach().to_type(ScalarType.Float64).cpu().flatten().data<double>().ToArray();
}

