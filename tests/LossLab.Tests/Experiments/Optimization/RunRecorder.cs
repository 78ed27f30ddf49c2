using LossLab.Experiments.Optimization;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Tests.Experiments.Optimization;

/// <summary>An Instrument for the benches: per run, the initial parameters, every step's batch, and the parameters after
/// every step, all copied out as float64 arrays. Runs of several seeds may be recorded at once (the benches' Workers).</summary>
sealed class RunRecorder
{
    public sealed class Record
    {
        public Dictionary<string, double[]> Initial { get; } = [];
        public List<(double[] Inputs, double[] Targets)> Batches { get; } = [];
        public List<Dictionary<string, double[]>> AfterStep { get; } = [];
    }

    public Dictionary<(string Method, int Seed), Record> Runs { get; } = [];

    public bool KeepWeights { get; init; }

    public void Instrument(BenchRunContext run)
    {
        var record = new Record();
        lock (Runs) Runs[(run.Method, run.Seed)] = record;
        foreach (var (name, value) in Weights(run.Model)) record.Initial[name] = value;
        run.Trainer.AddAfterBackward(b => record.Batches.Add((Doubles(b.Inputs), Doubles(b.Targets))));
        if (KeepWeights) run.Trainer.AddAfterStep((_, _) => record.AfterStep.Add(Weights(run.Model)));
    }

    /// <summary>The parameters after the last step of a run, flattened in order.</summary>
    public double[] Final(string method, int seed) => Runs[(method, seed)].AfterStep[^1].Values.SelectMany(v => v).ToArray();

    public static Dictionary<string, double[]> Weights(nn.Module model) =>
        model.named_parameters().ToDictionary(p => p.name, p => Doubles(p.parameter));

    public static double[] Doubles(Tensor t)
    {
        using var d = t.detach().to_type(ScalarType.Float64).cpu().contiguous();
        return d.data<double>().ToArray();
    }
}
