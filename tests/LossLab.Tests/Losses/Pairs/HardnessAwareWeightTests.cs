using LossLab.Losses.Pairs;
using static TorchSharp.torch;

namespace LossLab.Tests.Losses.Pairs;

/// <summary>
/// The weight a loss puts on a negative pair, |∂L/∂s_n|, as the pair gets harder (s_n grows) with s_p = 0.8 fixed:
/// circle loss (Sun et al. 2020, arXiv:2002.10857, its Fig. 1) and multi-similarity (Wang et al. 2019,
/// arXiv:1904.06627) weight harder negatives more, strictly; triplet and contrastive losses give every active negative
/// the same weight. These are properties of the formulas, so they are tests (NB1.1 shows the curves).
/// </summary>
public class HardnessAwareWeightTests
{
    static readonly double[] Grid = [.. Enumerable.Range(0, 101).Select(i => -0.2 + i * 0.01)];
    static readonly Tensor Positive = tensor(new[] { false, true, false, false, false, false, false, false, false }).reshape(3, 3);
    static readonly Tensor Negative = tensor(new[] { false, false, true, false, false, false, false, false, false }).reshape(3, 3);

    static double[] NegativeWeights(Func<Tensor, Tensor> loss) => [.. Grid.Select(sn =>
    {
        using var scope = NewDisposeScope();
        var s = tensor(new[] { 1.0, 0.8, sn, 0.8, 1.0, 0.0, sn, 0.0, 1.0 }).reshape(3, 3).requires_grad_(true);
        loss(s).backward();
        return Math.Abs(s.grad![0, 2].item<double>());
    })];

    static void AssertStrictlyIncreasing(double[] w, string name)
    {
        for (int i = 1; i < w.Length; i++)
            Assert.True(w[i] > w[i - 1], $"{name}: weight {i} ({w[i]:G6}) is not above weight {i - 1} ({w[i - 1]:G6})");
    }

    /// <summary>With α_n = [s_n + m]₊ detached, the weight is γ·α_n·σ(γ·α_n·(s_n − m) + c): for s_n ≥ 0 both factors
    /// grow with s_n. Below 0, α_n·(s_n − m) = s_n² − m² falls as s_n grows, so with a large γ·m the weight can fall
    /// there: PML's (m 0.4, γ 80) does on [−0.2, 0), (0.25, 32) does not.</summary>
    [Fact]
    public void Circle_loss_weights_harder_negatives_strictly_more_from_zero_similarity_on()
    {
        AssertStrictlyIncreasing(NegativeWeights(s => PairLossFunctions.Circle(s, Positive, Negative, 0.25, 32).sum()), "circle (0.25, 32)");
        var pml = NegativeWeights(s => PairLossFunctions.Circle(s, Positive, Negative, 0.4, 80).sum());
        AssertStrictlyIncreasing(pml[20..], "circle (0.4, 80) on s_n ≥ 0");
        Assert.True(pml[1] < pml[0], "circle (0.4, 80): the weight falls between s_n = −0.2 and −0.19, as the formula says");
    }

    [Fact]
    public void Multi_similarity_weights_harder_negatives_strictly_more() =>
        AssertStrictlyIncreasing(NegativeWeights(s => PairLossFunctions.MultiSimilarity(s, Positive, Negative, 2, 50, 0.5).sum()), "multi-similarity");

    [Fact]
    public void Triplet_and_contrastive_weights_are_one_constant_where_active_and_zero_elsewhere()
    {
        foreach (var (name, w) in new[]
                 {
                     ("triplet", NegativeWeights(s => PairLossFunctions.TripletMargin(s, Positive, Negative, 0.2, false, isSimilarity: true).sum())),
                     ("contrastive", NegativeWeights(s => PairLossFunctions.Contrastive(s, Positive, Negative, 1, 0.5, isSimilarity: true).Negative.sum())),
                 })
        {
            var active = w.Where(v => v > 0).ToArray();
            Assert.True(active.Length > 10, $"{name}: active over {active.Length} grid points only");
            Assert.True(active.Max() - active.Min() < 1e-12, $"{name}: active weights range over [{active.Min()}, {active.Max()}]");
            Assert.Contains(w, v => v == 0);   // easy negatives get no weight
        }
    }
}
