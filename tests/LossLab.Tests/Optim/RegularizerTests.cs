using LossLab.Optim;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LossLab.Tests.Optim;

public class RegularizerTests
{
    [Fact]
    public void Spectral_penalty_is_the_squared_gap_of_the_top_singular_value_power_to_one()
    {
        // diag(3, 0.5) → σ_max = 3: (3² − 1)² = 64; diag(0.5, 0.2) → (0.25 − 1)² = 0.5625; the bias is skipped
        var a = new Parameter(tensor(new[] { 3.0, 0, 0, 0.5 }).reshape(2, 2));
        var b = new Parameter(tensor(new[] { 0.5, 0, 0, 0.2 }).reshape(2, 2));
        var bias = new Parameter(tensor(new[] { 10.0 }));
        Assert.Equal(64 + 0.5625, new SpectralRegularizer(2).Penalty([a, b, bias]).item<double>(), 10);
        Assert.Equal(4 + 0.25, new SpectralRegularizer(1).Penalty([a, b]).item<double>(), 10);
        Assert.Equal("power", Assert.Throws<ArgumentOutOfRangeException>(() => new SpectralRegularizer(0)).ParamName);
    }

    [Fact]
    public void Spectral_penalty_gradient_matches_central_differences()
    {
        var w = new Parameter(tensor(new[] { 1.0, 0.4, -0.3, 0.8, 0.2, 0.5 }).reshape(2, 3));
        var reg = new SpectralRegularizer(2);
        reg.Penalty([w]).backward();
        var grad = w.grad!.data<double>().ToArray();
        const double eps = 1e-6;
        for (var i = 0; i < 6; i++)
        {
            double At(double shift)
            {
                using var _ = no_grad();
                var v = w.detach().clone().flatten();
                v[i] += shift;
                return reg.Penalty([new Parameter(v.reshape(2, 3))]).item<double>();
            }
            Assert.Equal((At(eps) - At(-eps)) / (2 * eps), grad[i], 6);
        }
    }

    [Fact]
    public void Wasserstein_penalty_ignores_permutations_and_counts_sorted_differences()
    {
        var p = new Parameter(tensor(new[] { 0.3, -1.0, 2.0 }));
        using var reg = new WassersteinToInitRegularizer([p]);
        Assert.Equal(0, reg.Penalty().item<double>(), 12);
        using (no_grad()) p.copy_(tensor(new[] { 2.0, 0.3, -1.0 }));          // a permutation: same distribution
        Assert.Equal(0, reg.Penalty().item<double>(), 12);
        using (no_grad()) p.copy_(tensor(new[] { 0.0, 1.0, 3.0 }));            // sorted (0, 1, 3) vs (−1, 0.3, 2)
        Assert.Equal(1 + 0.49 + 1, reg.Penalty().item<double>(), 12);
        p.grad?.zero_();
        reg.Penalty().backward();                                               // 2·(sorted − sorted₀) at each rank
        Assert.Equal(new[] { 2.0, 1.4, 2.0 }, p.grad!.data<double>().Select(x => Math.Round(x, 12)).ToArray());
    }
}
