using LossLab.Dynamics;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Tests.Dynamics;

public class DormantUnitsTests
{
    // 4 samples × 5 units. E|h| per unit: 1, 2, 0.02, 0, 1.98 → mean 1, scores = E|h|.
    static Tensor Activations() => tensor(new double[]
    {
        1, 2, 0.08, 0, -1.98,
        1, -2, 0, 0, 1.98,
        -1, 2, 0, 0, 1.98,
        1, 2, 0, 0, 1.98,
    }).reshape(4, 5).to_type(ScalarType.Float32);

    [Fact]
    public void Scores_are_mean_absolute_activation_over_the_layer_average()
    {
        var s = DormantUnits.Scores(Activations());
        double[] expected = [1, 2, 0.02, 0, 1.98];
        for (var i = 0; i < 5; i++) Assert.Equal(expected[i], s[i], 6);
    }

    [Theory]
    [InlineData(0.0, 0.2)]     // only the dead unit
    [InlineData(0.01, 0.2)]
    [InlineData(0.025, 0.4)]   // plus the nearly silent one
    [InlineData(1.0, 0.6)]     // plus the unit exactly at the average
    public void Fraction_counts_units_with_score_at_most_tau(double tau, double expected) =>
        Assert.Equal(expected, DormantUnits.Fraction(Activations(), tau), 12);

    [Fact]
    public void Dead_fraction_counts_units_zero_on_every_sample()
    {
        Assert.Equal(0.2, DormantUnits.DeadFraction(Activations()), 12);
        Assert.Equal(1.0, DormantUnits.Fraction(zeros(3, 4), 0.0));      // all silent: all dormant, no NaN
    }

    [Fact]
    public void Bad_activations_throw()
    {
        Assert.Equal("activations", Assert.Throws<ArgumentException>(() => DormantUnits.Scores(ones(3))).ParamName);
        Assert.Equal("activations", Assert.Throws<ArgumentException>(() => DormantUnits.Scores(zeros(0, 3))).ParamName);
        Assert.Equal("tau", Assert.Throws<ArgumentOutOfRangeException>(() => DormantUnits.Fraction(ones(2, 2), -0.1)).ParamName);
    }
}
