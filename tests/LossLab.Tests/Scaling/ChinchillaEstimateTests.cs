using LossLab.Scaling;

namespace LossLab.Tests.Scaling;

public class ChinchillaEstimateTests
{
    [Fact]
    public void A_well_formed_estimate_gives_the_closed_form_allocation()
    {
        var h = ChinchillaParameters.Hoffmann2022;
        var e = new ChinchillaEstimate(h.A, h.B, h.E, h.Alpha, h.Beta);
        Assert.True(e.IsWellFormed);
        Assert.Null(e.Degenerate());
        Assert.Equal(0.28 / 0.62, e.SizeExponent, 15);
        // G = (αA/(βB))^(1/(α+β)), N_opt = G·(C/6)^a.
        double g = Math.Pow(0.34 * 406.4 / (0.28 * 410.7), 1 / 0.62);
        var budgets = new[] { 1e18, 1e21, 5.88e23 };
        var (c, n, d) = e.Frontier(budgets);
        Assert.Equal(budgets, c);
        for (int i = 0; i < budgets.Length; i++)
        {
            Assert.Equal(g * Math.Pow(budgets[i] / 6, 0.28 / 0.62), n[i], n[i] * 1e-12);
            Assert.Equal(h.ComputeOptimal(budgets[i]).N, n[i], n[i] * 1e-12);
            Assert.Equal(budgets[i] / 6 / n[i], d[i], d[i] * 1e-12);
        }
    }

    [Fact]
    public void Degenerate_parameters_are_named()
    {
        Assert.Contains("E = 0", new ChinchillaEstimate(400, 400, 0, 0.3, 0.3).Degenerate());
        Assert.Contains("B = 1E-12", new ChinchillaEstimate(400, 1e-12, 1.7, 0.3, 0.3).Degenerate());
        var both = new ChinchillaEstimate(400, 400, 1.7, 1e-4, double.NaN).Degenerate()!;
        Assert.Contains("α = 0.0001", both);
        Assert.Contains("β = NaN", both);
        Assert.False(new ChinchillaEstimate(400, 400, 1e-7, 0.3, 0.3).IsWellFormed);
        Assert.Empty(new ChinchillaEstimate(400, 400, 1.7, 0.3, 0.3).Frontier([]).Flops);
    }

    [Fact]
    public void Iso_loss_tokens_reach_the_level_and_are_NaN_out_of_reach()
    {
        var h = ChinchillaParameters.Hoffmann2022;
        foreach (var n in new[] { 1e8, 1e9, 7e10 })
        {
            double d = h.IsoLossTokens(n, 3.0);
            Assert.Equal(3.0, h.Loss(n, d), 12);
        }
        Assert.True(double.IsNaN(h.IsoLossTokens(1e8, 1.69)));   // below E + A/N^α
    }
}
