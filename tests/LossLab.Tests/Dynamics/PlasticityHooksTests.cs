using LossLab.Dynamics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LossLab.Tests.Dynamics;

public class PlasticityHooksTests
{
    [Fact]
    public void Continual_backprop_utility_follows_the_contribution_formula()
    {
        torch.manual_seed(1);
        var l0 = nn.Linear(3, 4, dtype: ScalarType.Float64);
        var l1 = nn.Linear(4, 2, dtype: ScalarType.Float64);
        var cbp = new ContinualBackprop([l0, l1], replacementRate: 0, decay: 0.9, maturityThreshold: 10);
        var expected = new double[4];
        for (var step = 0; step < 3; step++)
        {
            var h = nn.functional.relu(l0.forward(torch.randn(5, 3, dtype: ScalarType.Float64))).detach();
            var hv = h.data<double>().ToArray();
            var w = l1.weight!.detach().data<double>().ToArray();          // (2, 4) row-major
            for (var i = 0; i < 4; i++)
            {
                var meanAbs = Enumerable.Range(0, 5).Average(b => Math.Abs(hv[b * 4 + i]));
                var outSum = Math.Abs(w[i]) + Math.Abs(w[4 + i]);
                expected[i] = 0.9 * expected[i] + 0.1 * meanAbs * outSum;
            }
            Assert.Equal(0, cbp.Step([h]));
        }
        for (var i = 0; i < 4; i++) Assert.Equal(expected[i], cbp.Utility(0)[i], 12);
        Assert.All(cbp.Age(0), a => Assert.Equal(3, a));
    }

    [Fact]
    public void Continual_backprop_replaces_the_lowest_utility_mature_units_at_rate_rho()
    {
        torch.manual_seed(2);
        var l0 = nn.Linear(3, 4, dtype: ScalarType.Float64);
        var l1 = nn.Linear(4, 2, dtype: ScalarType.Float64);
        // mature after 1 step; ρ = 0.5 of 4 eligible units → 2 replaced on the second step
        var cbp = new ContinualBackprop([l0, l1], replacementRate: 0.5, decay: 0, maturityThreshold: 1, seed: 5);
        var h = tensor(new double[] { 1, 0.1, 3, 0.2, 1, 0.1, 3, 0.2 }).reshape(2, 4);
        using (no_grad()) l1.weight!.fill_(1.0);                             // Σ_k |w_k,i| = 2 for every unit
        Assert.Equal(0, cbp.Step([h]));                                        // age 1: not yet mature
        var before0 = l0.weight!.detach().clone();
        Assert.Equal(2, cbp.Step([h]));                                        // utilities 2, 0.2, 6, 0.4 → units 1 and 3
        var w1 = l1.weight!.detach();
        foreach (var i in new[] { 1, 3 })
        {
            Assert.Equal(0, w1[.., i].abs().sum().item<double>());
            Assert.Equal(0, cbp.Utility(0)[i]);
            Assert.Equal(0, cbp.Age(0)[i]);
            Assert.Equal(0, l0.bias![i].item<double>());
            Assert.False(l0.weight![i].eq(before0[i]).all().item<bool>());
            Assert.True(l0.weight![i].abs().max().item<double>() <= 1 / Math.Sqrt(3));
        }
        foreach (var i in new[] { 0, 2 })
        {
            Assert.Equal(2.0, w1[.., i].sum().item<double>());
            Assert.True(l0.weight![i].eq(before0[i]).all().item<bool>());
        }
        Assert.Equal(2, cbp.Replaced);
    }

    [Fact]
    public void Continual_backprop_rejects_bad_arguments()
    {
        var l0 = nn.Linear(3, 4);
        var l1 = nn.Linear(5, 2);
        Assert.Equal("layers", Assert.Throws<ArgumentException>(() => new ContinualBackprop([l0])).ParamName);
        Assert.Equal("layers", Assert.Throws<ArgumentException>(() => new ContinualBackprop([l0, l1])).ParamName);
        var ok = new ContinualBackprop([l0, nn.Linear(4, 2)]);
        Assert.Equal("hidden", Assert.Throws<ArgumentException>(() => ok.Step([])).ParamName);
        Assert.Equal("hidden", Assert.Throws<ArgumentException>(() => ok.Step([zeros(2, 3)])).ParamName);
        Assert.Equal("replacementRate", Assert.Throws<ArgumentOutOfRangeException>(() => new ContinualBackprop([l0, nn.Linear(4, 2)], replacementRate: 2)).ParamName);
        Assert.Equal("decay", Assert.Throws<ArgumentOutOfRangeException>(() => new ContinualBackprop([l0, nn.Linear(4, 2)], decay: 1)).ParamName);
    }

    [Fact]
    public void Shrink_and_perturb_scales_weights_and_adds_noise_of_the_given_std()
    {
        var p = new Parameter(torch.full(20000, 2.0, dtype: ScalarType.Float64), requires_grad: true);
        ShrinkAndPerturb.Apply([p], shrink: 0.5, noiseStd: 0);
        Assert.All(p.detach().data<double>().ToArray(), x => Assert.Equal(1.0, x));
        ShrinkAndPerturb.Apply([p], shrink: 0.8, noiseStd: 0.1, generator: new Generator(3));
        var noise = p.detach().data<double>().Select(x => x - 0.8).ToArray();
        var mean = noise.Average();
        var sd = Math.Sqrt(noise.Sum(x => (x - mean) * (x - mean)) / (noise.Length - 1));
        Assert.InRange(mean, -4 * 0.1 / Math.Sqrt(20000), 4 * 0.1 / Math.Sqrt(20000));   // ±4 standard errors
        Assert.InRange(sd, 0.1 * 0.97, 0.1 * 1.03);                                        // sd of sd ≈ 0.5 %
        Assert.Equal("shrink", Assert.Throws<ArgumentOutOfRangeException>(() => ShrinkAndPerturb.Apply([p], 1.5, 0)).ParamName);
        Assert.Equal("noiseStd", Assert.Throws<ArgumentOutOfRangeException>(() => ShrinkAndPerturb.Apply([p], 1, -1)).ParamName);
    }
}
