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
    public void Threads_follow_the_argument_then_the_environment_then_the_fallback()
    {
        int original = Threads.Current;
        string? env = Environment.GetEnvironmentVariable(Threads.EnvironmentVariable);
        try
        {
            Assert.Equal(2, Threads.Configure(2));
            Assert.Equal(2, Threads.Current);
            Environment.SetEnvironmentVariable(Threads.EnvironmentVariable, "1");
            Assert.Equal(1, Threads.Configure());
            Assert.Equal(1, Threads.Current);
            Environment.SetEnvironmentVariable(Threads.EnvironmentVariable, null);
            Assert.Equal(2, Threads.Configure(fallback: 2));
            Environment.SetEnvironmentVariable(Threads.EnvironmentVariable, "zero");
            var ex = Assert.Throws<ArgumentException>(() => Threads.Configure());
            Assert.Contains(Threads.EnvironmentVariable, ex.Message);
            Assert.Equal("count", Assert.Throws<ArgumentOutOfRangeException>(() => Threads.Set(0)).ParamName);
        }
        finally
        {
            Environment.SetEnvironmentVariable(Threads.EnvironmentVariable, env);
            Threads.Set(original);
        }
    }

    [Fact]
    public void Devices_honour_the_argument_and_reject_unknown_names()
    {
        Assert.Equal(TorchSharp.DeviceType.CPU, LossLab.Training.Devices.Choose("cpu").type);
        Assert.Throws<ArgumentException>(() => LossLab.Training.Devices.Choose("tpu"));
        if (!TorchSharp.torch.cuda.is_available()) Assert.Throws<ArgumentException>(() => LossLab.Training.Devices.Choose("cuda"));
    }
}
