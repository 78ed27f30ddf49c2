using LossLab.Data;
using LossLab.Losses.Pairs;
using LossLab.Miners;
using LossLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Experiments.MetricLearning;

/// <summary>
/// One method of an <see cref="EmbeddingBench"/>: a name, a learning rate, and how its loss is built for each run, in one
/// of three forms. <see cref="Loss"/>: an embedding loss on the encoder's output and the labels (pair losses, SupCon,
/// cross-entropy on logits), optionally with a miner whose tuples are passed to the pair loss. <see cref="Head"/>: a
/// margin-softmax head (NormFace, CosFace, ArcFace, AdaFace, SFace, UNPG) built for the training set's number of classes
/// and trained with the encoder. <see cref="Views"/>: a self-supervised loss on two augmented views of each batch
/// (SimCLR's InfoNCE, DCL, iSogCLR), the views drawn by the bench's augmentation. A loss that is a module and has
/// parameters is trained with the encoder, moved to the bench's device, and disposed after the run. Per-method settings
/// are set with <c>with</c>: <c>EmbeddingMethod.Views(…) with { BatchSize = 16 }</c>.
/// </summary>
public sealed record EmbeddingMethod
{
    readonly Func<long, object> make;
    readonly Func<object, Func<Tensor, Tensor>, Func<Tensor, Tensor>?, Batch, Tensor> objective;

    EmbeddingMethod(string name, double learningRate, Func<long, object> make,
        Func<object, Func<Tensor, Tensor>, Func<Tensor, Tensor>?, Batch, Tensor> objective, bool needsViews)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        LearningRate = learningRate;
        this.make = make;
        this.objective = objective;
        NeedsViews = needsViews;
    }

    /// <summary>The method's name (its key in the comparison).</summary>
    public string Name { get; }

    /// <summary>The optimizer's learning rate for this method (positive and finite).</summary>
    public double LearningRate
    {
        get => learningRate;
        init => learningRate = value > 0 && double.IsFinite(value) ? value
            : throw new ArgumentOutOfRangeException(nameof(LearningRate), value, $"the learning rate of '{Name}' must be positive and finite.");
    }
    readonly double learningRate;

    /// <summary>The miner of a <see cref="Loss"/> method (null: every pair of the batch, or the loss's own miner).</summary>
    public IMiner? Miner { get; private init; }

    /// <summary>This method's mini-batch size in epoch mode (null: the bench's <see cref="EmbeddingBench.BatchSize"/>).</summary>
    public int? BatchSize { get; init; }

    /// <summary>The training set this method trains on, from the bench's training set and the seed (e.g. with label noise
    /// drawn from the seed); null: the bench's. A new data set it returns is disposed after the run. It is called right
    /// after the encoder and the loss are built, one run at a time, while other seeds may be training.</summary>
    public Func<LabeledTensors, int, LabeledTensors>? TrainingSet { get; init; }

    /// <summary>True for <see cref="Views"/> methods, which need the bench's augmentation.</summary>
    public bool NeedsViews { get; }

    /// <summary>An embedding loss L(f(x), y) built by <paramref name="loss"/> for each run; with <paramref name="miner"/>
    /// (which requires a <see cref="PairLoss"/>) each batch's mined tuples are passed to the loss.</summary>
    public static EmbeddingMethod Loss(string name, Func<nn.Module<Tensor, Tensor, Tensor>> loss, double learningRate, IMiner? miner = null)
    {
        ArgumentNullException.ThrowIfNull(loss);
        return new EmbeddingMethod(name, learningRate, _ => loss(), (built, embed, _, batch) =>
        {
            var z = embed(batch.Inputs);
            if (miner is null) return ((nn.Module<Tensor, Tensor, Tensor>)built).call(z, batch.Targets);
            var pairLoss = built as PairLoss ?? throw new InvalidOperationException(
                $"Method '{name}' has a miner, but its loss {built.GetType().Name} is not a PairLoss that takes mined tuples.");
            return pairLoss.Forward(z, batch.Targets, miner.Mine(z, batch.Targets));
        }, needsViews: false) { Miner = miner };
    }

    /// <summary>A classification head on the embedding, e.g. a margin-softmax head, built by <paramref name="head"/> for
    /// the number of classes of the training set and trained with the encoder: L = head(f(x), y).</summary>
    public static EmbeddingMethod Head(string name, Func<long, nn.Module<Tensor, Tensor, Tensor>> head, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(head);
        return new EmbeddingMethod(name, learningRate, classes => head(classes),
            (built, embed, _, batch) => ((nn.Module<Tensor, Tensor, Tensor>)built).call(embed(batch.Inputs), batch.Targets), needsViews: false);
    }

    /// <summary>A loss on two augmented views of each batch: L = <paramref name="views"/>(loss, f(a(x)), f(a′(x)), y), the
    /// views a, a′ drawn by the bench's <see cref="EmbeddingBench.Augment"/> in that order. The targets reach the loss
    /// (sample indices for per-sample state such as iSogCLR's temperatures; labels are otherwise unused).</summary>
    public static EmbeddingMethod Views<TLoss>(string name, Func<TLoss> loss, Func<TLoss, Tensor, Tensor, Tensor, Tensor> views, double learningRate)
        where TLoss : class
    {
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(views);
        return new EmbeddingMethod(name, learningRate, _ => loss(), (built, embed, augment, batch) =>
        {
            var first = embed(augment!(batch.Inputs));
            var second = embed(augment!(batch.Inputs));
            return views((TLoss)built, first, second, batch.Targets);
        }, needsViews: true);
    }

    /// <summary>The same method (loss, miner, batch size, training set, learning rate) under another name, e.g. one arm of
    /// a learning-rate search.</summary>
    public EmbeddingMethod Named(string name) =>
        new(name, LearningRate, make, objective, NeedsViews) { Miner = Miner, BatchSize = BatchSize, TrainingSet = TrainingSet };

    /// <summary>Builds this method's loss for a training set of <paramref name="classes"/> classes.</summary>
    internal object Build(long classes) => make(classes) ?? throw new InvalidOperationException($"The loss factory of '{Name}' returned null.");

    /// <summary>The loss of one batch with the built loss, the encoder and the augmentation.</summary>
    internal Tensor Objective(object built, Func<Tensor, Tensor> embed, Func<Tensor, Tensor>? augment, Batch batch) =>
        objective(built, embed, augment, batch);
}
