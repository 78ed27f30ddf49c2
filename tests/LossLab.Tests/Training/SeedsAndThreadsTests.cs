using LossLab.Training;
using static TorchSharp.torch;

namespace LossLab.Tests.Training;

[Collection(GlobalRandomCollection.Name)]
public class SeedsAndThreadsTests
{
    [Fact]
    public void Fix_makes_torch_draws_repeat()
    {
        Seeds.Fix(42);
        var a = randn(5).data<float>().ToArray();
        Seeds.Fix(42);
        var b = randn(5).data<float>().ToArray();
        Seeds.Fix(43);
        var c = randn(5).data<float>().ToArray();
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Random_and_Generator_streams_repeat_per_seed_and_stream_and_differ_across_them()
    {
        int[] Draw(long seed, long stream) { var r = Seeds.Random(seed, stream); return Enumerable.Range(0, 8).Select(_ => r.Next()).ToArray(); }
        Assert.Equal(Draw(1, 0), Draw(1, 0));
        Assert.NotEqual(Draw(1, 0), Draw(1, 1));
        Assert.NotEqual(Draw(1, 0), Draw(2, 0));

        long[] Perm(long seed, long stream) { using var g = Seeds.Generator(seed, stream); return randperm(20, generator: g).data<long>().ToArray(); }
        Assert.Equal(Perm(3, 0), Perm(3, 0));
        Assert.NotEqual(Perm(3, 0), Perm(3, 1));
        // a generator does not touch torch's global one
        Seeds.Fix(9);
        var before = randn(3).data<float>().ToArray();
        Seeds.Fix(9);
        Perm(3, 0);
        Assert.Equal(before, randn(3).data<float>().ToArray());
    }

    [Fact]
    public void Derive_is_non_negative_and_separates_neighbouring_seeds()
    {
        var values = new HashSet<long>();
        for (long s = 0; s < 50; s++)
            for (long t = 0; t < 50; t++)
            {
                long v = Seeds.Derive(s, t);
                Assert.True(v >= 0);
                values.Add(v);
            }
        Assert.Equal(2500, values.Count);
    }

    [Fact]
    public void Legacy_draws_what_new_Random_of_the_same_seed_draws_so_data_sets_keep_their_values()
    {
        foreach (int seed in new[] { 0, 1, 42, -7, int.MaxValue })
        {
            var legacy = Seeds.Legacy(seed);
            var reference = new Random(seed);
            for (int i = 0; i < 20; i++)
            {
                Assert.Equal(reference.Next(), legacy.Next());
                Assert.Equal(reference.NextDouble(), legacy.NextDouble());
            }
        }
    }

    [Fact]
    public void Threads_follow_LOSSLAB_THREADS_when_set_and_a_different_request_is_refused_not_applied()
    {
        int original = Threads.Current;
        string? env = Environment.GetEnvironmentVariable(Threads.EnvironmentVariable);
        try
        {
            // unset: the library's default is 1; code may ask for any count
            Environment.SetEnvironmentVariable(Threads.EnvironmentVariable, null);
            Assert.Null(Threads.FromEnvironment());
            Assert.Equal(1, Threads.Configured);
            Assert.Equal(1, Threads.Apply());
            Assert.Equal(1, Threads.Current);
            Assert.Equal(2, Threads.Configure(2));
            Assert.Equal(2, Threads.Current);
            Assert.Equal(1, Threads.Configure());
            Assert.Equal(2, Threads.Configure(fallback: 2));

            // set (as the engine does under --jobs): it is the count, and another request fails loudly and changes nothing
            Environment.SetEnvironmentVariable(Threads.EnvironmentVariable, "1");
            Assert.Equal(1, Threads.Configured);
            Assert.Equal(1, Threads.Apply());
            Assert.Equal(1, Threads.Configure());
            Assert.Equal(1, Threads.Configure(fallback: 2));
            Assert.Equal(1, Threads.Configure(1));
            var refused = Assert.Throws<InvalidOperationException>(() => Threads.Configure(2));
            Assert.Contains("LOSSLAB_THREADS=1", refused.Message);
            Assert.Contains("request for 2", refused.Message);
            Assert.Throws<InvalidOperationException>(() => Threads.Set(2));
            Assert.Equal(1, Threads.Current);
            Environment.SetEnvironmentVariable(Threads.EnvironmentVariable, " 2 ");
            Assert.Equal(2, Threads.Apply());
            Assert.Equal(2, Threads.Current);

            foreach (var bad in new[] { "zero", "0", "-1", "1.5" })
            {
                Environment.SetEnvironmentVariable(Threads.EnvironmentVariable, bad);
                Assert.Contains(Threads.EnvironmentVariable, Assert.Throws<InvalidOperationException>(() => Threads.Configure()).Message);
            }
            Environment.SetEnvironmentVariable(Threads.EnvironmentVariable, null);
            Assert.Equal("count", Assert.Throws<ArgumentOutOfRangeException>(() => Threads.Set(0)).ParamName);
        }
        finally
        {
            Environment.SetEnvironmentVariable(Threads.EnvironmentVariable, null);
            Threads.Set(original);
            Environment.SetEnvironmentVariable(Threads.EnvironmentVariable, env);
        }
    }

    [Fact]
    public void Seed_workers_are_the_cores_unless_the_process_was_given_a_share_or_a_count()
    {
        string? workers = Environment.GetEnvironmentVariable(Threads.WorkersVariable), threads = Environment.GetEnvironmentVariable(Threads.EnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(Threads.WorkersVariable, null);
            Environment.SetEnvironmentVariable(Threads.EnvironmentVariable, null);
            Assert.Equal(Environment.ProcessorCount, Threads.Workers);
            Environment.SetEnvironmentVariable(Threads.EnvironmentVariable, "1");
            Assert.Equal(1, Threads.Workers);
            Environment.SetEnvironmentVariable(Threads.WorkersVariable, " 3 ");
            Assert.Equal(3, Threads.Workers);
            foreach (var bad in new[] { "0", "-2", "two", "1.5" })
            {
                Environment.SetEnvironmentVariable(Threads.WorkersVariable, bad);
                var e = Assert.Throws<InvalidOperationException>(() => Threads.Workers);
                Assert.Contains(Threads.WorkersVariable, e.Message);
                Assert.Contains($"'{bad}'", e.Message);
            }
        }
        finally
        {
            Environment.SetEnvironmentVariable(Threads.WorkersVariable, workers);
            Environment.SetEnvironmentVariable(Threads.EnvironmentVariable, threads);
        }
    }

    [Fact]
    public void Isolated_draws_what_follows_Fix_and_leaves_the_global_generator_as_it_was()
    {
        Seeds.Fix(5);
        var expected = randn(6).data<float>().ToArray();
        Seeds.Fix(77);
        var next = randn(3).data<float>().ToArray();
        Seeds.Fix(77);
        Assert.Equal(expected, Seeds.Isolated(5, () => randn(6).data<float>().ToArray()));
        Assert.Equal(next, randn(3).data<float>().ToArray());

        // two threads at once, each drawing through Isolated again and again: every draw is seed 5's
        var results = new System.Collections.Concurrent.ConcurrentBag<float[]>();
        var threads = Enumerable.Range(0, 2).Select(_ => new Thread(() =>
        {
            for (int i = 0; i < 200; i++) results.Add(Seeds.Isolated(5, () => { using var d = randn(6); return d.data<float>().ToArray(); }));
        })).ToArray();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();
        Assert.Equal(400, results.Count);
        Assert.All(results, r => Assert.Equal(expected, r));
        Assert.Throws<ArgumentNullException>(() => Seeds.Isolated<int>(1, null!));
    }

    [Fact]
    public void The_engines_share_file_sets_the_seed_workers_and_a_comparison_takes_on_workers_as_it_grows()
    {
        string[] variables = [Threads.WorkersVariable, Threads.WorkersFileVariable, Threads.EnvironmentVariable];
        var saved = variables.Select(Environment.GetEnvironmentVariable).ToArray();
        string path = Path.Combine(Path.GetTempPath(), $"losslab-share-{Guid.NewGuid():N}");
        try
        {
            Environment.SetEnvironmentVariable(Threads.WorkersVariable, null);
            Environment.SetEnvironmentVariable(Threads.EnvironmentVariable, "1");
            Environment.SetEnvironmentVariable(Threads.WorkersFileVariable, path);
            Assert.True(Threads.WorkersMayGrow);
            Assert.Equal(1, Threads.Workers);   // no file yet: the share the process started with
            Threads.WriteShare(path, 3);
            Assert.Equal(3, Threads.Workers);
            Assert.Equal("3", File.ReadAllText(path));
            Assert.False(File.Exists(path + ".tmp"));
            Assert.Throws<ArgumentOutOfRangeException>(() => Threads.WriteShare(path, 0));
            File.WriteAllText(path, "many");
            var bad = Assert.Throws<InvalidOperationException>(() => Threads.Workers);
            Assert.Contains(Threads.WorkersFileVariable, bad.Message);
            Assert.Contains("'many'", bad.Message);

            // share 1: every seed on one thread
            Threads.WriteShare(path, 1);
            var on = new System.Collections.Concurrent.ConcurrentDictionary<int, int>();
            var runs = new LossLab.Experiments.MethodComparison<int>(["a", "b"], [1, 2, 3]).Run((m, s) => s, (m, s, v) =>
            {
                on[s] = Environment.CurrentManagedThreadId;
                return v * 10;
            });
            Assert.Single(on.Values.Distinct());
            Assert.Equal([10, 20, 30], runs.RunsOf("b"));

            // One worker: the calling thread trains, and finalizers still run (no pause is held). Then seed 1's first
            // method raises the share to 2; its second method waits until another worker has taken seed 2.
            Threads.WriteShare(path, 1);
            on.Clear();
            int caller = Environment.CurrentManagedThreadId;
            using var second = new ManualResetEventSlim();
            bool finalizedAlone = false;
            runs = new LossLab.Experiments.MethodComparison<int>(["a", "b"], [1, 2, 3]).Run((m, s) => s, (m, s, v) =>
            {
                on[s] = Environment.CurrentManagedThreadId;
                if (s == 1 && m == "a")
                {
                    using var finalized = new ManualResetEventSlim();
                    Drop(finalized);
                    GC.Collect();
                    finalizedAlone = finalized.Wait(TimeSpan.FromSeconds(10));
                    Threads.WriteShare(path, 2);
                }
                if (s == 1 && m == "b") Assert.True(second.Wait(TimeSpan.FromSeconds(30)), "no second worker took seed 2 while seed 1 ran");
                if (s == 2) second.Set();
                return v * 10;
            });
            Assert.True(finalizedAlone);
            Assert.Equal(caller, on[1]);
            Assert.NotEqual(on[1], on[2]);
            Assert.Equal([10, 20, 30], runs.RunsOf("a"));
            Assert.Equal([10, 20, 30], runs.RunsOf("b"));

            // LOSSLAB_SEED_WORKERS fixes the count: the file is not read
            Environment.SetEnvironmentVariable(Threads.WorkersVariable, "1");
            Threads.WriteShare(path, 2);
            Assert.False(Threads.WorkersMayGrow);
            Assert.Equal(1, Threads.Workers);
        }
        finally
        {
            for (int i = 0; i < variables.Length; i++) Environment.SetEnvironmentVariable(variables[i], saved[i]);
            File.Delete(path);
        }
    }

    sealed class Flagged(ManualResetEventSlim finalized)
    {
        ~Flagged() => finalized.Set();
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    static void Drop(ManualResetEventSlim finalized) => _ = new Flagged(finalized);

    [Fact]
    public void A_finalizer_pause_holds_every_finalizer_until_it_ends()
    {
        using var finalized = new ManualResetEventSlim();
        using (var pause = FinalizerPause.Start(TimeSpan.FromSeconds(30)))
        {
            Assert.NotNull(pause);
            Assert.True(pause!.Holding);
            Drop(finalized);
            GC.Collect();
            // Unreachable and collected, but its finalizer is queued behind the pause: it cannot have run.
            Assert.False(finalized.Wait(TimeSpan.FromMilliseconds(300)));
        }
        Assert.True(finalized.Wait(TimeSpan.FromSeconds(30)));
        // Without a pause the same object is finalized after a collection.
        using var again = new ManualResetEventSlim();
        Drop(again);
        GC.Collect();
        Assert.True(again.Wait(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void Devices_honour_the_argument_and_reject_unknown_names()
    {
        Assert.Equal(TorchSharp.DeviceType.CPU, LossLab.Training.Devices.Choose("cpu").type);
        Assert.Throws<ArgumentException>(() => LossLab.Training.Devices.Choose("tpu"));
        if (!TorchSharp.torch.cuda.is_available()) Assert.Throws<ArgumentException>(() => LossLab.Training.Devices.Choose("cuda"));
    }
}
