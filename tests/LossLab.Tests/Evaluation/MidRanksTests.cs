using LossLab.Evaluation;

namespace LossLab.Tests.Evaluation;

public class MidRanksTests
{
    [Fact]
    public void Ties_share_the_mean_of_the_ranks_they_span()
    {
        // Sorted: 1 (rank 1), 2 (rank 2), then three 3s spanning ranks 3–5, each given 4.
        Assert.Equal(new[] { 4.0, 1, 4, 2, 4 }, MidRanks.Of([3, 1, 3, 2, 3]));
        Assert.Equal(new[] { 2.5, 2.5, 2.5, 2.5 }, MidRanks.Of([7, 7, 7, 7]));
        Assert.Equal(new[] { 3.0, 2, 1 }, MidRanks.Of([-0.5, -1, -2]));
        Assert.Empty(MidRanks.Of([]));
    }

    [Fact]
    public void Ranks_sum_to_n_times_n_plus_one_over_two_whatever_the_ties()
    {
        var rng = LossLab.Training.Seeds.Random(3);
        for (int trial = 0; trial < 20; trial++)
        {
            var values = Enumerable.Range(0, 1 + rng.Next(40)).Select(_ => (double)rng.Next(6)).ToArray();
            var ranks = MidRanks.Of(values);
            Assert.Equal(values.Length * (values.Length + 1) / 2.0, ranks.Sum());
            // A value's mid-rank is (number below) + (number equal + 1) / 2, counted directly.
            for (int i = 0; i < values.Length; i++)
                Assert.Equal(values.Count(v => v < values[i]) + (values.Count(v => v == values[i]) + 1) / 2.0, ranks[i]);
        }
    }
}
