using LossLab.Evaluation;
using static TorchSharp.torch;

namespace LossLab.Tests.Evaluation;

public class AlignmentTests
{
    [Fact]
    public void Matches_an_explicit_loop_and_hand_values()
    {
        var rng = new Random(5);
        var a = Enumerable.Range(0, 6 * 3).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var b = Enumerable.Range(0, 6 * 3).Select(_ => rng.NextDouble() - 0.5).ToArray();
        double expected2 = 0, expected1 = 0;
        for (int i = 0; i < 6; i++)
        {
            var u = a.Skip(3 * i).Take(3).ToArray(); var v = b.Skip(3 * i).Take(3).ToArray();
            double nu = Math.Sqrt(u.Sum(x => x * x)), nv = Math.Sqrt(v.Sum(x => x * x));
            double d = Math.Sqrt(u.Zip(v).Sum(p => (p.First / nu - p.Second / nv) * (p.First / nu - p.Second / nv)));
            expected2 += d * d / 6; expected1 += d / 6;
        }
        using var ta = tensor(a, [6, 3]);
        using var tb = tensor(b, [6, 3]);
        Assert.Equal(expected2, Alignment.Loss(ta, tb), 10);
        Assert.Equal(expected1, Alignment.Loss(ta, tb, alpha: 1), 10);
        // orthogonal unit vectors: ‖x − y‖² = 2; identical directions: 0
        using var e1 = tensor(new double[] { 1, 0, 2, 0 }, [2, 2]);
        using var e2 = tensor(new double[] { 0, 5, 1, 0 }, [2, 2]);
        Assert.Equal((2 + 0) / 2.0, Alignment.Loss(e1, e2), 12);
    }

    [Fact]
    public void Rejects_bad_inputs()
    {
        using var a = randn(4, 3);
        using var b = randn(4, 2);
        Assert.Equal("second", Assert.Throws<ArgumentException>(() => Alignment.Loss(a, b)).ParamName);
        using var empty = zeros(0, 3);
        Assert.Equal("first", Assert.Throws<ArgumentException>(() => Alignment.Loss(empty, empty)).ParamName);
        Assert.Equal("alpha", Assert.ThrowsAny<ArgumentException>(() => Alignment.Loss(a, a, alpha: -1)).ParamName);
    }
}
