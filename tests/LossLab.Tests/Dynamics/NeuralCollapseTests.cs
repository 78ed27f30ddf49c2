using LossLab.Dynamics;
using MathNet.Numerics.LinearAlgebra;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Tests.Dynamics;

public class NeuralCollapseTests
{
    const int C = 4, D = 7;
    static readonly int[] Counts = { 5, 2, 9, 1 };

    /// <summary>An orthonormal (D, D) basis from the QR factorisation of a seeded Gaussian matrix.</summary>
    static Matrix<double> Basis(int seed)
    {
        var rng = new Random(seed);
        var a = Matrix<double>.Build.Dense(D, D, (_, _) => rng.NextDouble() * 2 - 1);
        return a.QR().Q;
    }

    /// <summary>Class means μ_c = μ_G + scale·U·√(C/(C−1))·(e_c − 1/C) (a simplex ETF around μ_G ⟂ its span).</summary>
    static Matrix<double> EtfMeans(Matrix<double> basis, double scale, double offset)
    {
        var means = Matrix<double>.Build.Dense(C, D);
        for (int c = 0; c < C; c++)
            for (int k = 0; k < C; k++)
            {
                double coefficient = scale * Math.Sqrt(C / (C - 1.0)) * ((k == c ? 1 : 0) - 1.0 / C);
                means.SetRow(c, means.Row(c) + coefficient * basis.Column(k));
            }
        for (int c = 0; c < C; c++) means.SetRow(c, means.Row(c) + offset * basis.Column(C));
        return means;
    }

    static (Tensor H, Tensor Y) Samples(Matrix<double> means, double noise, int seed)
    {
        var rng = new Random(seed);
        var rows = new List<double>();
        var labels = new List<long>();
        for (int c = 0; c < C; c++)
            for (int i = 0; i < Counts[c]; i++)
            {
                for (int j = 0; j < D; j++) rows.Add(means[c, j] + noise * (rng.NextDouble() * 2 - 1));
                labels.Add(c);
            }
        return (torch.tensor(rows.ToArray(), ScalarType.Float64).reshape(labels.Count, D), torch.tensor(labels.ToArray()));
    }

    static Tensor ToTensor(Matrix<double> m) => torch.tensor(m.ToRowMajorArray(), ScalarType.Float64).reshape(m.RowCount, m.ColumnCount);

    [Fact]
    public void An_exact_simplex_etf_with_a_self_dual_classifier_gives_zeros()
    {
        var means = EtfMeans(Basis(1), 3.0, 5.0);
        var (h, y) = Samples(means, 0, 2);
        var centred = means - EtfMeans(Basis(1), 0, 5.0);             // μ_c − μ_G
        var w = ToTensor(0.7 * centred);
        var nc = NeuralCollapse.Measure(h, y, C, w, torch.zeros(C, ScalarType.Float64));
        Assert.Equal(0, nc.Nc1, 10);
        Assert.Equal(0, nc.MeanEquinorm, 10);
        Assert.Equal(0, nc.MeanEquiangularity, 10);
        Assert.Equal(0, nc.MeanEtfDistance, 10);
        Assert.Equal(0, nc.ClassifierEquinorm!.Value, 10);
        Assert.Equal(0, nc.ClassifierEquiangularity!.Value, 10);
        Assert.Equal(0, nc.ClassifierEtfDistance!.Value, 10);
        Assert.Equal(0, nc.Nc3!.Value, 10);
        Assert.Equal(0, nc.Nc4!.Value);
        Assert.True(nc.FisherRatio > 1e20);   // Σ_W vanishes up to rounding
        Assert.Equal(Counts.Sum(), y.shape[0]);          // inputs are left intact
    }

    [Fact]
    public void Noisy_features_match_a_mathnet_reference()
    {
        var means = EtfMeans(Basis(3), 2.0, 1.0);
        var (h, y) = Samples(means, 0.8, 4);
        var rng = new Random(5);
        var wm = Matrix<double>.Build.Dense(C, D, (_, _) => rng.NextDouble() * 2 - 1);
        var bias = new[] { 0.1, -0.2, 0.3, 0.0 };
        var nc = NeuralCollapse.Measure(h, y, C, ToTensor(wm), torch.tensor(bias, ScalarType.Float64));

        var hm = Matrix<double>.Build.DenseOfRowMajor((int)h.shape[0], D, h.data<double>().ToArray());
        var labels = y.data<long>().ToArray();
        int n = labels.Length;
        var mu = Matrix<double>.Build.Dense(C, D);
        for (int i = 0; i < n; i++) mu.SetRow((int)labels[i], mu.Row((int)labels[i]) + hm.Row(i) / Counts[labels[i]]);
        var muG = mu.ColumnSums() / C;
        var sw = Matrix<double>.Build.Dense(D, D);
        for (int i = 0; i < n; i++) { var v = hm.Row(i) - mu.Row((int)labels[i]); sw += v.OuterProduct(v) / n; }
        var sb = Matrix<double>.Build.Dense(D, D);
        var mc = Matrix<double>.Build.Dense(C, D);
        for (int c = 0; c < C; c++) { var v = mu.Row(c) - muG; mc.SetRow(c, v); sb += v.OuterProduct(v) / C; }
        Assert.Equal((sw * sb.PseudoInverse()).Trace() / C, nc.Nc1, 8);
        Assert.Equal(sb.Trace() / sw.Trace(), nc.FisherRatio, 10);

        static (double, double) Geometry(Matrix<double> rows)
        {
            var norms = Enumerable.Range(0, C).Select(c => rows.Row(c).L2Norm()).ToArray();
            double mean = norms.Average(), std = Math.Sqrt(norms.Average(x => (x - mean) * (x - mean)));
            double angle = 0;
            for (int a = 0; a < C; a++)
                for (int b = 0; b < C; b++)
                    if (a != b) angle += Math.Abs(rows.Row(a) * rows.Row(b) / (norms[a] * norms[b]) + 1.0 / (C - 1));
            return (std / mean, angle / (C * (C - 1)));
        }
        static double Etf(Matrix<double> rows)
        {
            var g = rows * rows.Transpose();
            var p = Matrix<double>.Build.DenseIdentity(C) - Matrix<double>.Build.Dense(C, C, 1.0 / C);
            return (g / g.FrobeniusNorm() - p / p.FrobeniusNorm()).FrobeniusNorm();
        }
        var (meanNorm, meanAngle) = Geometry(mc);
        var (wNorm, wAngle) = Geometry(wm);
        Assert.Equal(meanNorm, nc.MeanEquinorm, 10);
        Assert.Equal(meanAngle, nc.MeanEquiangularity, 10);
        Assert.Equal(Etf(mc), nc.MeanEtfDistance, 10);
        Assert.Equal(wNorm, nc.ClassifierEquinorm!.Value, 10);
        Assert.Equal(wAngle, nc.ClassifierEquiangularity!.Value, 10);
        Assert.Equal(Etf(wm), nc.ClassifierEtfDistance!.Value, 10);
        var diff = wm / wm.FrobeniusNorm() - mc / mc.FrobeniusNorm();
        Assert.Equal(diff.FrobeniusNorm() * diff.FrobeniusNorm(), nc.Nc3!.Value, 10);

        int mismatches = 0;
        for (int i = 0; i < n; i++)
        {
            var scores = Enumerable.Range(0, C).Select(c => wm.Row(c) * hm.Row(i) + bias[c]).ToArray();
            var distances = Enumerable.Range(0, C).Select(c => (hm.Row(i) - mu.Row(c)).L2Norm()).ToArray();
            if (Array.IndexOf(scores, scores.Max()) != Array.IndexOf(distances, distances.Min())) mismatches++;
        }
        Assert.Equal((double)mismatches / n, nc.Nc4!.Value, 12);
    }

    [Fact]
    public void Without_a_classifier_only_feature_measures_are_reported()
    {
        var (h, y) = Samples(EtfMeans(Basis(6), 1.0, 0), 0.1, 7);
        var nc = NeuralCollapse.Measure(h, y, C);
        Assert.Null(nc.Nc3);
        Assert.Null(nc.Nc4);
        Assert.Null(nc.ClassifierEquinorm);
        Assert.True(nc.Nc1 > 0 && nc.Nc1 < 1);
    }

    [Fact]
    public void Class_mean_cosines_of_an_etf_are_minus_one_over_c_minus_one()
    {
        var (h, y) = Samples(EtfMeans(Basis(8), 2.0, 3.0), 0, 9);
        var cos = NeuralCollapse.ClassMeanCosines(h, y, C).data<double>().ToArray();
        for (int a = 0; a < C; a++)
            for (int b = 0; b < C; b++)
                Assert.Equal(a == b ? 1 : -1.0 / (C - 1), cos[a * C + b], 10);
        var means = NeuralCollapse.ClassMeans(h, y, C);
        Assert.Equal(new long[] { C, D }, means.shape);
    }

    [Fact]
    public void Bad_arguments_throw()
    {
        var (h, y) = Samples(EtfMeans(Basis(10), 1.0, 0), 0.1, 11);
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => NeuralCollapse.Measure(h, y, C + 1)).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentOutOfRangeException>(() => NeuralCollapse.Measure(h, y, C - 1)).ParamName);
        Assert.Equal("numClasses", Assert.Throws<ArgumentOutOfRangeException>(() => NeuralCollapse.Measure(h, torch.zeros(h.shape[0], ScalarType.Int64), 1)).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => NeuralCollapse.Measure(h, y.narrow(0, 0, 3), C)).ParamName);
        Assert.Equal("classifierWeight", Assert.Throws<ArgumentException>(() => NeuralCollapse.Measure(h, y, C, torch.zeros(C, D + 1, ScalarType.Float64))).ParamName);
        Assert.Equal("classifierBias", Assert.Throws<ArgumentException>(() => NeuralCollapse.Measure(h, y, C, torch.ones(C, D, ScalarType.Float64), torch.zeros(2, ScalarType.Float64))).ParamName);
    }
}
