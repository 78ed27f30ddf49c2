using LossLab.Training;
using TorchSharp;
using static TorchSharp.torch;
using LabeledTensors = LossLab.Data.LabeledTensors;

namespace LossLab.Experiments.MetricLearning;

/// <summary>
/// What a bench's <see cref="EmbeddingBench.Measure"/> sees of a finished run, with the model in eval mode, gradients off
/// and a dispose scope around it: the trained encoder and loss (null for the raw-input reference), the data on the
/// bench's device, the test embeddings on the CPU and their verification pairs. <see cref="Add(string, double)"/> and
/// <see cref="Add(string, double[])"/> put values into the run's record.
/// </summary>
public sealed class EmbeddingRunContext
{
    readonly Dictionary<string, double> scores;
    readonly Dictionary<string, double[]> vectors;
    VerificationPairs? pairs;

    internal EmbeddingRunContext(string method, int seed, Device device, nn.Module<Tensor, Tensor>? encoder, object? loss,
        LabeledTensors train, LabeledTensors test, LabeledTensors reference, Tensor testEmbeddings, TrainingStatus status,
        Dictionary<string, double> scores, Dictionary<string, double[]> vectors)
    {
        Method = method;
        Seed = seed;
        Device = device;
        Encoder = encoder;
        Loss = loss;
        Train = train;
        Test = test;
        Reference = reference;
        TestEmbeddings = testEmbeddings;
        Status = status;
        this.scores = scores;
        this.vectors = vectors;
    }

    /// <summary>The method (or reference point) name.</summary>
    public string Method { get; }
    /// <summary>The seed.</summary>
    public int Seed { get; }
    /// <summary>The device the model and the data are on.</summary>
    public Device Device { get; }
    /// <summary>The trained encoder (null when the raw inputs are scored).</summary>
    public nn.Module<Tensor, Tensor>? Encoder { get; }
    /// <summary>The trained loss (a head, a pair loss, a view loss with its state), or null for a reference point.</summary>
    public object? Loss { get; }
    /// <summary>The training set this run trained on, on <see cref="Device"/>.</summary>
    public LabeledTensors Train { get; }
    /// <summary>The test set, on <see cref="Device"/>.</summary>
    public LabeledTensors Test { get; }
    /// <summary>The reference set of k-NN scoring, on <see cref="Device"/>.</summary>
    public LabeledTensors Reference { get; }
    /// <summary>The test set's embeddings, on the CPU.</summary>
    public Tensor TestEmbeddings { get; }
    /// <summary>How training ended.</summary>
    public TrainingStatus Status { get; }

    /// <summary>Every pair of the test set, scored by the cosine of the embeddings (computed once, on first use).</summary>
    public VerificationPairs Pairs => pairs ??= VerificationPairs.All(TestEmbeddings, Test.Labels.cpu());

    /// <summary>Embeds <paramref name="inputs"/> (moved to <see cref="Device"/>) with the encoder; the result is on the CPU.
    /// For the raw-input reference, the inputs themselves.</summary>
    public Tensor Embed(Tensor inputs) => Encoder is null ? inputs.cpu() : Encoder.call(inputs.to(Device)).cpu();

    /// <summary>Records the score <paramref name="name"/>.</summary>
    public void Add(string name, double value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        scores[name] = value;
    }

    /// <summary>Records the vector <paramref name="name"/>.</summary>
    public void Add(string name, double[] values)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(values);
        vectors[name] = values;
    }

    internal void SetPairs(VerificationPairs computed) => pairs = computed;
}
