using LossLab.Evaluation;
using static TorchSharp.torch;

namespace LossLab.Tests.Evaluation;

public class UniformityTests
{
    static double[][] RandomRows(int n, int d, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, d).Select(_ => rng.NextDouble() * 2 - 1).ToArray()).ToArray();
    }

    static double[] Unit(double[] v) { double n = Math.Sqrt(v.Sum(x => x * x)); return v.Select(x => x / n).ToArray(); }

    [Fact]
    public void Matches_an_explicit_loop_over_pairs()
    {
        var rows = RandomRows(7, 4, 3);
        double sum = 0; int pairs = 0;
        for (int i = 0; i < rows.Length; i++)
            for (int j = i + 1; j < rows.Length; j++)
            {
                var a = Unit(rows[i]); var b = Unit(rows[j]);
                double d2 = a.Zip(b).Sum(p => (p.First - p.Second) * (p.First - p.Second));
                sum += Math.Exp(-2 * d2); pairs++;
            }
        using var x = tensor(rows.SelectMany(r => r).Select(v => (float)v).ToArray(), [7, 4]);
        Assert.Equal(Math.Log(sum / pairs), Uniformity.Loss(x), 5);
        // t = 0.5
        double sumHalf = 0;
        for (int i = 0; i < rows.Length; i++)
            for (int j = i + 1; j < rows.Length; j++)
                sumHalf += Math.Exp(-0.5 * Unit(rows[i]).Zip(Unit(rows[j])).Sum(p => (p.First - p.Second) * (p.First - p.Second)));
        using var x64 = tensor(rows.SelectMany(r => r).ToArray(), [7, 4]);
        Assert.Equal(Math.Log(sumHalf / pairs), Uniformity.Loss(x64, t: 0.5), 10);
    }

    [Fact]
    public void Antipodal_pair_by_hand()
    {
        // ‖x − y‖² = 4 for antipodal unit vectors: L = log exp(−2·4) = −8; scaling rows does not matter
        using var x = tensor(new double[] { 3, 0, -0.5, 0 }, [2, 2]);
        Assert.Equal(-8, Uniformity.Loss(x), 12);
        using var same = tensor(new double[] { 1, 1, 2, 2 }, [2, 2]);
        Assert.Equal(0, Uniformity.Loss(same), 12);
    }

    [Fact]
    public void Rejects_bad_inputs()
    {
        using var one = zeros(1, 3);
        Assert.Equal("embeddings", Assert.Throws<ArgumentException>(() => Uniformity.Loss(one)).ParamName);
        using var flat = zeros(4);
        Assert.Equal("embeddings", Assert.Throws<ArgumentException>(() => Uniformity.Loss(flat)).ParamName);
        using var ints = zeros(3, 2, dtype: ScalarType.Int64);
        Assert.Equal("embeddings", Assert.Throws<ArgumentException>(() => Uniformity.Loss(ints)).ParamName);
        using var ok = randn(3, 2);
        Assert.Equal("t", Assert.ThrowsAny<ArgumentException>(() => Uniformity.Loss(ok, t: 0)).ParamName);
    }
}
