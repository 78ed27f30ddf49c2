using LossLab.Experiments.MetricLearning;
using static TorchSharp.torch;

namespace LossLab.Tests.Experiments.MetricLearning;

public class IndividualTemperatureLossTests
{
    // Loop reference: rows of the two stacked views, cosine similarities, per-anchor τ.
    static (double Loss, double[] Kl) Reference(double[][] z, double[] tau, double rho)
    {
        int m = z.Length, b = m / 2;
        double Cos(double[] u, double[] v) => u.Zip(v).Sum(p => p.First * p.Second) / Math.Sqrt(u.Sum(x => x * x) * v.Sum(x => x * x));
        double total = 0;
        var kl = new double[m];
        for (int i = 0; i < m; i++)
        {
            int partner = (i + b) % m;
            double sp = Cos(z[i], z[partner]);
            var d = new List<double>();
            for (int j = 0; j < m; j++) if (j != i && j != partner) d.Add((Cos(z[i], z[j]) - sp) / tau[i]);
            double mean = d.Average(Math.Exp);
            total += tau[i] * (Math.Log(mean) + rho);
            double sum = d.Sum(Math.Exp);
            kl[i] = d.Sum(v => Math.Exp(v) / sum * Math.Log(Math.Exp(v) / sum * d.Count));
        }
        return (total / m, kl);
    }

    static double[][] Rows(int n, int d, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, d).Select(_ => rng.NextDouble() - 0.5).ToArray()).ToArray();
    }

    [Fact]
    public void Loss_and_temperature_step_match_a_loop()
    {
        var rows = Rows(6, 3, 1);
        var loss = new IndividualTemperatureLoss(samples: 10, rho: 0.4, initialTemperature: 0.3, temperatureRate: 0.1);
        using var v1 = tensor(rows.Take(3).SelectMany(r => r).ToArray(), [3, 3]);
        using var v2 = tensor(rows.Skip(3).SelectMany(r => r).ToArray(), [3, 3]);
        using var idx = tensor(new long[] { 7, 2, 4 });
        var (expected, kl) = Reference(rows, Enumerable.Repeat(0.3, 6).ToArray(), 0.4);
        using var value = loss.Views(v1, v2, idx);
        Assert.Equal(expected, value.item<double>(), 10);
        var tau = loss.Temperatures;
        int[] sample = [7, 2, 4];
        for (int r = 0; r < 3; r++)
        {
            double step = Math.Clamp(0.3 - 0.1 * (0.4 - 0.5 * (kl[r] + kl[r + 3])), 0.05, 1);
            Assert.Equal(step, tau[sample[r]], 10);
        }
        Assert.Equal(0.3, tau[0]);
        // a second call uses the updated temperatures
        var perAnchor = new double[6];
        for (int r = 0; r < 3; r++) perAnchor[r] = perAnchor[r + 3] = tau[sample[r]];
        var (expected2, _) = Reference(rows, perAnchor, 0.4);
        using var value2 = loss.Views(v1, v2, idx, updateTemperatures: false);
        Assert.Equal(expected2, value2.item<double>(), 10);
        Assert.Equal(tau, loss.Temperatures);
    }

    [Fact]
    public void Temperature_derivative_is_rho_minus_the_KL_by_central_differences()
    {
        var rows = Rows(8, 2, 3);
        const double rho = 0.2, h = 1e-6;
        var tau = Enumerable.Repeat(0.5, 8).ToArray();
        var (_, kl) = Reference(rows, tau, rho);
        for (int i = 0; i < 8; i++)
        {
            var plus = (double[])tau.Clone(); plus[i] += h;
            var minus = (double[])tau.Clone(); minus[i] -= h;
            // the reference averages over the 8 anchors, so ∂(mean)/∂τ_i = (ρ − KL_i)/8
            double fd = (Reference(rows, plus, rho).Loss - Reference(rows, minus, rho).Loss) / (2 * h) * 8;
            Assert.Equal(rho - kl[i], fd, 6);
        }
    }

    [Fact]
    public void Gradient_in_the_embeddings_matches_central_differences()
    {
        var rows = Rows(4, 3, 7);
        var loss = new IndividualTemperatureLoss(samples: 2, rho: 0.3, initialTemperature: 0.4);
        var flat = rows.SelectMany(r => r).ToArray();
        using var x = tensor(flat, [4, 3]).requires_grad_(true);
        using var idx = tensor(new long[] { 0, 1 });
        using (var value = loss.Views(x[..2], x[2..], idx, updateTemperatures: false)) value.backward();
        var g = x.grad!.data<double>().ToArray();
        const double h = 1e-6;
        for (int k = 0; k < flat.Length; k++)
        {
            var plus = (double[])flat.Clone(); plus[k] += h;
            var minus = (double[])flat.Clone(); minus[k] -= h;
            var rp = Enumerable.Range(0, 4).Select(r => plus.Skip(3 * r).Take(3).ToArray()).ToArray();
            var rm = Enumerable.Range(0, 4).Select(r => minus.Skip(3 * r).Take(3).ToArray()).ToArray();
            var t = Enumerable.Repeat(0.4, 4).ToArray();
            Assert.Equal((Reference(rp, t, 0.3).Loss - Reference(rm, t, 0.3).Loss) / (2 * h), g[k], 6);
        }
    }

    [Fact]
    public void Rejects_bad_inputs()
    {
        var loss = new IndividualTemperatureLoss(samples: 3);
        using var v = randn(2, 4);
        using var w = randn(2, 3);
        using var idx = tensor(new long[] { 0, 1 });
        Assert.Equal("view2", Assert.Throws<ArgumentException>(() => loss.Views(v, w, idx)).ParamName);
        using var outOfRange = tensor(new long[] { 0, 3 });
        Assert.Equal("indices", Assert.Throws<ArgumentException>(() => loss.Views(v, v, outOfRange)).ParamName);
        using var one = randn(1, 4);
        using var idx1 = tensor(new long[] { 0 });
        Assert.Equal("view1", Assert.Throws<ArgumentException>(() => loss.Views(one, one, idx1)).ParamName);
        Assert.Equal("samples", Assert.Throws<ArgumentOutOfRangeException>(() => new IndividualTemperatureLoss(0)).ParamName);
        Assert.Equal("maxTemperature", Assert.Throws<ArgumentOutOfRangeException>(() => new IndividualTemperatureLoss(3, minTemperature: 0.5, maxTemperature: 0.1)).ParamName);
    }
}
