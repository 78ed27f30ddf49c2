using LossLab.Scaling;

namespace LossLab.Tests.Scaling;

public class LossToLossLineTests
{
    [Fact]
    public void Predictions_are_the_shifted_power_law_at_hand_chosen_parameters()
    {
        var line = new LossToLossLine(K: 2, Kappa: 1.5, Ex: 1, Ey: 0.5, Usable: 3, Models: 3);
        Assert.Equal(2 * Math.Pow(0.5, 1.5) + 0.5, line.Predict(1.5), 15);
        // Agrees with ShiftedPowerLaw at the same (positive) parameters.
        Assert.Equal(new ShiftedPowerLaw().Predict([2, 1.5, 1, 0.5], [1.5]), line.Predict(1.5), 12);
        Assert.True(double.IsNaN(line.Predict(0.9)));
        Assert.True(double.IsNaN((line with { Kappa = double.NaN }).Predict(1.5)));
    }

    [Fact]
    public void Exact_data_recover_the_floors_and_the_line()
    {
        // L_x = 1.2 + 30·C^−0.2 and L_y = K·(L_x − E_x)^κ + E_y with K = 1.5, κ = 1.3, E_y = 0.8: both are compute laws.
        var compute = Enumerable.Range(0, 12).Select(i => Math.Pow(10, 6 + 0.5 * i)).ToArray();
        var lx = compute.Select(c => 1.2 + 30 * Math.Pow(c, -0.2)).ToArray();
        var ly = lx.Select(x => 1.5 * Math.Pow(x - 1.2, 1.3) + 0.8).ToArray();
        var line = LossToLossLine.Fit(compute, lx, ly);
        Assert.Equal(1.2, line.Ex, 3);
        Assert.Equal(0.8, line.Ey, 3);
        Assert.Equal(1.3, line.Kappa, 2);
        Assert.Equal(1.5, line.K, 1);
        Assert.Equal(12, line.Models);
        foreach (var (x, y) in lx.Zip(ly)) Assert.Equal(y, line.Predict(x), y * 1e-3);
    }

    [Fact]
    public void Bad_inputs_throw()
    {
        Assert.Equal("lossY", Assert.Throws<ArgumentException>(() => LossToLossLine.Fit([1.0, 2.0], [1.0, 2.0], [1.0])).ParamName);
        Assert.Equal("compute", Assert.Throws<ArgumentException>(() => LossToLossLine.Fit([], [], [])).ParamName);
        Assert.Equal("minimumLoss", Assert.Throws<ArgumentOutOfRangeException>(() => LossToLossLine.ComputeGrid(0)).ParamName);
    }
}
