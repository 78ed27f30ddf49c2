using LossLab.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LossLab.Experiments.Imbalance;

/// <summary>A classification loss on a batch's logits and targets, with the class weights of the current epoch (null
/// when the method has none), e.g. <c>(z, y, w) =&gt; { ce.ClassWeights = w; return ce.call(z, y); }</c>.</summary>
public delegate Tensor LongTailLoss(Tensor logits, Tensor targets, double[]? classWeights);

/// <summary>
/// One arm of a <see cref="LongTailBench"/>: a name and how it trains, never a string switch in a loop. A trained method
/// has a loss on logits (<see cref="Loss(string, Func{LongTailLoss}, HeadKind, Func{int, double[]}?)"/>) or an objective on
/// the network (<see cref="Objective"/>), a head kind, optional per-epoch class weights (deferred re-weighting, Cao et al.
/// 2019, arXiv:1906.07413) and an optional action after every step (decoupled weight decay, a max-norm projection). A
/// derived method is computed from an earlier method's run of the same seed: its logits adjusted post hoc
/// (<see cref="PostHoc"/>: logit adjustment, Menon et al. 2021, arXiv:2007.07314) or its trained network trained further
/// (<see cref="Continue"/>: the second stage of weight balancing, Alshammari et al. 2022, arXiv:2203.14197).
/// </summary>
public sealed record LongTailMethod
{
    LongTailMethod(string name, HeadKind head)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!Enum.IsDefined(head)) throw LongTailNetwork.UnknownHead(head, nameof(head));
        Name = name;
        Head = head;
    }

    /// <summary>The method's name in the comparison.</summary>
    public string Name { get; }

    /// <summary>The head put on the body (a derived method keeps its source's network).</summary>
    public HeadKind Head { get; }

    /// <summary>The class weights of each 0-based epoch, handed to the loss (e.g. <c>DeferredReweighting.WeightsAt</c>); null: none.</summary>
    public Func<int, double[]>? ClassWeights { get; init; }

    /// <summary>Run after every optimizer step under no_grad, with the network and the parameters being trained:
    /// decoupled weight decay, a max-norm projection of the classifier rows.</summary>
    public Action<LongTailNetwork, IReadOnlyList<Parameter>>? AfterStep { get; init; }

    /// <summary>The method this one is derived from (null for a trained method).</summary>
    public string? From { get; private init; }

    /// <summary>Whether the method is computed from another method's run.</summary>
    public bool IsDerived => From is not null;

    /// <summary>Whether the method trains its source's network further (a second stage).</summary>
    public bool IsStage => Stage is not null;

    internal Func<LongTailNetwork, ITrainingObjective>? MakeObjective { get; private init; }
    internal Func<Tensor, Tensor>? Adjust { get; private init; }
    internal (int Epochs, Func<LongTailNetwork, IReadOnlyList<Parameter>>? Trainable)? Stage { get; private init; }

    /// <summary>A method that minimises <paramref name="loss"/> (made fresh for every run) on the logits of a
    /// <paramref name="head"/> head, with <paramref name="classWeights"/> of each epoch handed to it.</summary>
    public static LongTailMethod Loss(string name, Func<LongTailLoss> loss, HeadKind head = HeadKind.Linear, Func<int, double[]>? classWeights = null)
    {
        ArgumentNullException.ThrowIfNull(loss);
        return new LongTailMethod(name, head)
        {
            ClassWeights = classWeights,
            MakeObjective = network => FromLoss(network, loss() ?? throw new InvalidOperationException($"the loss factory of '{name}' returned null."), classWeights),
        };
    }

    /// <summary>A method that minimises the loss module <paramref name="loss"/> (made fresh for every run) on the logits.</summary>
    public static LongTailMethod Loss(string name, Func<nn.Module<Tensor, Tensor, Tensor>> loss, HeadKind head = HeadKind.Linear)
    {
        ArgumentNullException.ThrowIfNull(loss);
        return Loss(name, () =>
        {
            var module = loss() ?? throw new InvalidOperationException($"the loss factory of '{name}' returned null.");
            return (z, y, _) => module.call(z, y);
        }, head);
    }

    /// <summary>A method with an objective on the whole network (features and head apart, several passes, or an
    /// <see cref="IGradientObjective"/> that writes its own gradients).</summary>
    public static LongTailMethod Objective(string name, Func<LongTailNetwork, ITrainingObjective> objective, HeadKind head = HeadKind.Linear)
    {
        ArgumentNullException.ThrowIfNull(objective);
        return new LongTailMethod(name, head) { MakeObjective = objective };
    }

    /// <summary>A method that trains nothing: <paramref name="from"/>'s run of the same seed with its logits (test and
    /// validation) passed through <paramref name="adjustLogits"/>, scored like any run (the classifier rows are the source's).</summary>
    public static LongTailMethod PostHoc(string name, string from, Func<Tensor, Tensor> adjustLogits)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(from);
        ArgumentNullException.ThrowIfNull(adjustLogits);
        return new LongTailMethod(name, HeadKind.Linear) { From = from, Adjust = adjustLogits };
    }

    /// <summary>A second stage: a copy of <paramref name="from"/>'s trained network of the same seed, trained for
    /// <paramref name="epochs"/> more epochs on <paramref name="objective"/> with the bench's optimizer over the parameters
    /// <paramref name="trainable"/> returns (it may freeze the rest; null: all). Its curves continue the source's.</summary>
    /// <exception cref="ArgumentOutOfRangeException">epochs is below 1.</exception>
    public static LongTailMethod Continue(string name, string from, int epochs, Func<LongTailNetwork, ITrainingObjective> objective,
        Func<LongTailNetwork, IReadOnlyList<Parameter>>? trainable = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(from);
        ArgumentNullException.ThrowIfNull(objective);
        if (epochs < 1) throw new ArgumentOutOfRangeException(nameof(epochs), epochs, $"a stage must train at least one epoch; '{name}' has {epochs}.");
        return new LongTailMethod(name, HeadKind.Linear) { From = from, MakeObjective = objective, Stage = (epochs, trainable) };
    }

    static ITrainingObjective FromLoss(LongTailNetwork network, LongTailLoss loss, Func<int, double[]>? classWeights) =>
        Objectives.From(b => loss(network.call(b.Inputs), b.Targets, classWeights?.Invoke(b.Epoch)));

    /// <inheritdoc/>
    public override string ToString() => From is null ? $"{Name} ({Head} head)" : $"{Name} (from {From})";
}
