using LossLab.Experiments;
using LossLab.Models;
using TorchSharp;

namespace LossLab.Tests.Experiments;

public class MethodComparisonTests
{
    record Run(string Method, int Seed, double FirstWeight, double Score);

    static MethodComparison<Run> Toy() =>
        new MethodComparison<Run>(["a", "b", "c"], [3, 1, 2]).Run((m, s) =>
        {
            using var model = new Mlp([4, 3]);
            double w = model.parameters().First().data<float>()[0];
            return new Run(m, s, w, s * 10 + m[0] - 'a');
        });

    [Fact]
    public void Every_method_of_a_seed_starts_from_the_same_initialisation_and_seeds_differ()
    {
        var c = Toy();
        foreach (var s in c.Seeds)
        {
            var firsts = c.Methods.Select(m => c[m, s].FirstWeight).Distinct().ToList();
            Assert.Single(firsts);
        }
        Assert.Equal(3, c.Seeds.Select(s => c["a", s].FirstWeight).Distinct().Count());
    }

    [Fact]
    public void Per_seed_values_pair_in_seed_order_and_summaries_match_hand_computation()
    {
        var c = Toy();
        Assert.Equal(new[] { 31.0, 11, 21 }, c.PerSeed("b", r => r.Score));
        var p = c.Paired("c", "a", r => r.Score, "score");
        Assert.Equal(new[] { 2.0, 2, 2 }, p.Differences);
        Assert.Equal(new[] { 3, 1, 2 }, p.Seeds);
        var sum = c.Summary(r => r.Score).Single(x => x.Method == "a");
        Assert.Equal(3, sum.Count);
        Assert.Equal(20, sum.Mean, 12);
        Assert.Equal(10, sum.Std, 12);    // values 30, 10, 20: sample std 10
    }

    [Fact]
    public void Means_over_seeds_are_the_hand_computed_means_and_vectors_of_unequal_length_are_named()
    {
        var c = Toy();
        Assert.Equal((32 + 12 + 22) / 3.0, c.Mean("c", r => r.Score), 12);
        // per seed the vector (Score, Seed): a's rows (30, 3), (10, 1), (20, 2) average to (20, 2)
        Assert.Equal(new[] { 20.0, 2.0 }, c.MeanOf("a", r => new[] { r.Score, r.Seed }));
        var e = Assert.Throws<ArgumentException>(() => c.MeanOf("a", r => new double[r.Seed]));
        Assert.Contains("different lengths: [3, 1, 2]", e.Message);
    }

    [Fact]
    public void A_paired_claim_on_a_comparison_equals_the_claim_on_its_arrays_and_names_both_methods()
    {
        var c = Toy();
        var claims = new Claims("default");
        var fromComparison = claims.Paired("x", "p", "c beats a", c.Paired("c", "a", r => r.Score + r.Seed * 0.01 * (r.Method == "c" ? 1 : 0), "score"));
        var fromArrays = claims.Paired("y", "p", "c beats a", c.PerSeed("c", r => r.Score + r.Seed * 0.01), c.PerSeed("a", r => r.Score), "s");
        Assert.Equal(fromArrays.Test!.Estimate, fromComparison.Test!.Estimate, 12);
        Assert.Equal(fromArrays.Test.Lower, fromComparison.Test.Lower, 12);
        Assert.Equal(fromArrays.Verdict, fromComparison.Verdict);
        Assert.Equal("paired difference of score, c − a", fromComparison.Test.Statistic);
    }

    [Fact]
    public void Bad_declarations_and_missing_runs_are_named()
    {
        Assert.Contains("repeated: a", Assert.Throws<ArgumentException>(() => new MethodComparison<Run>(["a", "a"], [1])).Message);
        Assert.Contains("[1, 1]", Assert.Throws<ArgumentException>(() => new MethodComparison<Run>(["a"], [1, 1])).Message);
        var empty = new MethodComparison<Run>(["a"], [1]);
        Assert.Contains("Run has not been called", Assert.Throws<KeyNotFoundException>(() => empty["a", 1]).Message);
        Assert.Contains("No run of 'z'", Assert.Throws<KeyNotFoundException>(() => Toy()["z", 1]).Message);
    }

    [Fact]
    public void Each_run_is_reported_synchronously_before_Run_returns()
    {
        var reports = new List<(int Done, int Total, string Method, int Seed)>();
        var c = new MethodComparison<int>(["x", "y"], [7, 8]).Run((m, s) => s, r => reports.Add((r.Done, r.Total, r.Method, r.Seed)));
        Assert.Equal(new[] { (1, 4, "x", 7), (2, 4, "y", 7), (3, 4, "x", 8), (4, 4, "y", 8) }, reports);
    }

    record Curve(string Method, int Seed, double[] Losses, double Final) { public double? Extra { get; init; } }

    static string TempDir() => Path.Combine(Path.GetTempPath(), "losslab-mc-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void A_cached_comparison_reads_finished_runs_back_unchanged_and_resumes_after_a_failure()
    {
        string dir = TempDir();
        try
        {
            var knobs = new { Epochs = 3, LearningRate = 0.1 };
            int calls = 0;
            Curve Make(string m, int s)
            {
                calls++;
                if (m == "b" && s == 2 && calls < 10) throw new InvalidOperationException("killed");
                return new Curve(m, s, [s + 0.5, double.PositiveInfinity, 1.0 / 3], s * 10 + (m == "a" ? 0 : 1)) { Extra = m == "a" ? null : 0.25 };
            }
            var first = new MethodComparison<Curve>(["a", "b"], [1, 2], dir, knobs);
            Assert.Throws<InvalidOperationException>(() => first.Run(Make));   // dies at (b, 2): a/1, b/1, a/2 are kept
            Assert.Equal(4, calls);
            Assert.Equal(3, Directory.GetFiles(dir, "*.json").Length);

            calls = 10;
            var second = new MethodComparison<Curve>(["a", "b"], [1, 2], dir, knobs).Run(Make);
            Assert.Equal(11, calls);                                          // only (b, 2) ran
            Assert.True(second.FromCache("a", 1) && second.FromCache("b", 1) && second.FromCache("a", 2));
            Assert.False(second.FromCache("b", 2));
            var back = second["b", 1];
            Assert.Equal(new[] { 1.5, double.PositiveInfinity, 1.0 / 3 }, back.Losses);   // exact doubles, infinities kept
            Assert.Equal(11, back.Final);
            Assert.Equal(0.25, back.Extra);
            Assert.Null(second["a", 1].Extra);

            var changed = new MethodComparison<Curve>(["a", "b"], [1, 2], dir, new { Epochs = 4, LearningRate = 0.1 }).Run(Make);
            Assert.Equal(15, calls);                                          // other knobs: every run again
            Assert.False(changed.FromCache("a", 1));
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }

    record WithModel(TorchSharp.torch.Tensor Weights);

    [Fact]
    public void A_cache_needs_parameters_and_a_run_record_that_JSON_can_hold()
    {
        Assert.Contains("parameters", Assert.Throws<ArgumentException>(() => new MethodComparison<Curve>(["a"], [1], TempDir())).Message);
        string dir = TempDir();
        try
        {
            var c = new MethodComparison<WithModel>(["a"], [1], dir, new { N = 1 });
            var e = Assert.Throws<NotSupportedException>(() => c.Run((m, s) => new WithModel(TorchSharp.torch.zeros(2))));
            Assert.Contains("WithModel cannot be written as JSON", e.Message);
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }

    // A small training run: SGD on a fixed regression task, batches drawn from the run's own generator.
    static double[] Train(Mlp model, int seed)
    {
        var x = torch.linspace(-1, 1, 24).reshape(8, 3);
        var y = x.sum(1, keepdim: true).sin();
        using var optimizer = torch.optim.SGD(model.parameters(), 0.05);
        using var batches = LossLab.Training.Seeds.Generator(seed, 0);
        for (int step = 0; step < 30; step++)
        {
            using var scope = torch.NewDisposeScope();
            var pick = torch.randperm(8, generator: batches)[..4];
            optimizer.zero_grad();
            torch.nn.functional.mse_loss(model.call(x[pick]), y[pick]).backward();
            optimizer.step();
        }
        return model.parameters().SelectMany(p => p.data<float>().ToArray()).Select(v => (double)v).ToArray();
    }

    [Fact]
    public void Seeds_run_at_once_in_two_parts_give_the_numbers_of_the_one_part_sequential_run()
    {
        string[] methods = ["narrow", "wide"];
        int[] seeds = [4, 1, 3, 2, 6];
        int Width(string m) => m == "narrow" ? 4 : 16;
        var sequential = new MethodComparison<double[]>(methods, seeds).Run((m, s) =>
        {
            using var model = new Mlp([3, Width(m), 1]);
            return Train(model, s);
        });
        foreach (int workers in new[] { 1, 2, 4 })
        {
            var parallel = new MethodComparison<double[]>(methods, seeds).Run((m, s) => new Mlp([3, Width(m), 1]), (m, s, model) =>
            {
                using (model) return Train(model, s);
            }, workers: workers);
            foreach (var s in seeds)
                foreach (var m in methods)
                    Assert.Equal(sequential[m, s], parallel[m, s]);
        }
        Assert.NotEqual(sequential["wide", 1], sequential["wide", 2]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void A_finish_that_draws_from_the_global_generator_is_refused(int workers)
    {
        var e = Assert.Throws<InvalidOperationException>(() => new MethodComparison<double>(["a"], [1, 2, 3]).Run((m, s) => s,
            (m, s, started) => torch.rand(3).sum().item<float>() + started, workers: workers));
        Assert.Contains("global generator", e.Message);
        Assert.Contains("outside a run's start", e.Message);
        // Drawing in the start is the allowed place.
        var ok = new MethodComparison<double>(["a"], [1, 2, 3]).Run((m, s) => torch.rand(1).item<float>(), (m, s, started) => (double)started, workers: workers);
        LossLab.Training.Seeds.Fix(2);
        Assert.Equal(torch.rand(1).item<float>(), ok["a", 2]);
    }

    [Fact]
    public void The_failure_of_the_earliest_seed_is_thrown_whichever_fails_first()
    {
        // Seed 2 fails late; seed 3, when a thread reaches it before then, fails at once: seed 2's failure is the one thrown.
        var e = Assert.Throws<ArgumentException>(() => new MethodComparison<int>(["a"], [1, 2, 3, 4]).Run((m, s) => s,
            (m, s, v) =>
            {
                if (v == 2) { Thread.Sleep(200); throw new ArgumentException("seed 2 failed"); }
                return v == 3 ? throw new ArgumentException("seed 3 failed") : v;
            }, workers: 2));
        Assert.Equal("seed 2 failed", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new MethodComparison<int>(["a"], [1]).Run((m, s) => s, (m, s, v) => v, workers: 0));
    }
    [Fact]
    public void No_worker_outlives_the_comparison()
    {
        // The last worker completes the queue of finished runs. Run returns only once every worker has ended, so that what it
        // disposes is not in use on a worker (that ended the process: an ObjectDisposedException on a worker thread) and no
        // worker runs torch after the finalizer thread is released. Before that was so, a worker was seen still running within
        // the first 20 to 110 rounds.
        for (int round = 0; round < 500; round++)
        {
            var threads = new System.Collections.Concurrent.ConcurrentBag<Thread>();
            new MethodComparison<int>(["a", "b"], [1, 2, 3, 4]).Run((m, s) => s, (m, s, v) =>
            {
                threads.Add(Thread.CurrentThread);
                return v;
            }, workers: 2);
            Assert.All(threads, t => Assert.False(t.IsAlive, $"'{t.Name}' still runs after Run returned (round {round})"));
        }
    }

    [Fact]
    public void A_progress_callback_that_throws_ends_the_comparison_once_the_seeds_in_hand_are_done()
    {
        var threads = new System.Collections.Concurrent.ConcurrentBag<Thread>();
        int finishes = 0;
        var e = Assert.Throws<InvalidOperationException>(() => new MethodComparison<int>(["a"], Enumerable.Range(1, 40).ToArray()).Run((m, s) => s,
            (m, s, v) =>
            {
                threads.Add(Thread.CurrentThread);
                Interlocked.Increment(ref finishes);
                Thread.Sleep(20);
                return v;
            }, onRun: r => throw new InvalidOperationException("the progress display failed"), workers: 2));
        Assert.Equal("the progress display failed", e.Message);
        Assert.All(threads, t => Assert.False(t.IsAlive, $"'{t.Name}' still runs after Run threw"));
        Assert.True(finishes < 40, $"all {finishes} seeds ran after the callback failed");
    }
}
