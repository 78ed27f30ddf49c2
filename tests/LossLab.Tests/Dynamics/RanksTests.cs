using LossLab.Dynamics;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Tests.Dynamics;

public class RanksTests
{
    /// <summary>A 5×3 matrix U·diag(s)·Vᵀ with U, V built from Givens rotations, so its singular values are exactly s.</summary>
    static Tensor WithSingularValues(double[] s)
    {
        var m = new double[5, 3];
        for (var i = 0; i < 3; i++) m[i, i] = s[i];
        Rotate(m, 0, 3, 0.4, rows: true); Rotate(m, 1, 4, -0.9, rows: true); Rotate(m, 0, 2, 1.3, rows: false);
        return tensor(Enumerable.Range(0, 15).Select(k => m[k / 3, k % 3]).ToArray()).reshape(5, 3).to_type(ScalarType.Float32);
    }

    static void Rotate(double[,] m, int p, int q, double angle, bool rows)
    {
        double c = Math.Cos(angle), s = Math.Sin(angle);
        var n = rows ? m.GetLength(1) : m.GetLength(0);
        for (var k = 0; k < n; k++)
        {
            if (rows) { double a = m[p, k], b = m[q, k]; m[p, k] = c * a - s * b; m[q, k] = s * a + c * b; }
            else { double a = m[k, p], b = m[k, q]; m[k, p] = c * a - s * b; m[k, q] = s * a + c * b; }
        }
    }

    [Fact]
    public void Effective_rank_is_exp_of_the_entropy_of_normalised_singular_values()
    {
        double[] s = [3, 2, 1];
        var p = s.Select(x => x / 6).ToArray();
        var expected = Math.Exp(-p.Sum(x => x * Math.Log(x)));
        Assert.Equal(expected, Ranks.Effective(WithSingularValues(s)), 5);
        Assert.Equal(3, Ranks.Effective(WithSingularValues([2, 2, 2])), 5);      // equal spectrum: full rank
        Assert.Equal(1, Ranks.Effective(WithSingularValues([5, 0, 0])), 5);      // rank one
        Assert.Equal(0, Ranks.Effective(zeros(4, 3)));
    }

    [Fact]
    public void Stable_rank_is_frobenius_squared_over_spectral_squared()
    {
        Assert.Equal((9 + 4 + 1) / 9.0, Ranks.Stable(WithSingularValues([3, 2, 1])), 5);
        Assert.Equal(0, Ranks.Stable(zeros(2, 2)));
    }

    [Fact]
    public void Approximate_rank_counts_singular_values_up_to_1_minus_delta_of_the_mass()
    {
        var m = WithSingularValues([10, 5, 0.1]);                  // mass 15.1: 10 < 0.99·15.1 ≤ 15
        Assert.Equal(2, Ranks.Approximate(m, 0.01));
        Assert.Equal(1, Ranks.Approximate(m, 0.4));                 // 10 ≥ 0.6·15.1 = 9.06
        Assert.Equal(3, Ranks.Approximate(m, 0.0));
    }

    [Fact]
    public void Bad_matrices_throw_naming_the_argument()
    {
        Assert.Equal("matrix", Assert.Throws<ArgumentException>(() => Ranks.Effective(ones(3))).ParamName);
        Assert.Equal("matrix", Assert.Throws<ArgumentException>(() => Ranks.Stable(ones(2, 2, dtype: ScalarType.Int64))).ParamName);
        Assert.Equal("matrix", Assert.Throws<ArgumentException>(() => Ranks.Effective(zeros(0, 3))).ParamName);
        Assert.Equal("delta", Assert.Throws<ArgumentOutOfRangeException>(() => Ranks.Approximate(ones(2, 2), 1)).ParamName);
    }
}
