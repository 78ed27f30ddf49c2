using LossLab.Data;

namespace LossLab.Experiments.Unlearning;

/// <summary>
/// The data of one seed of one forgetting scenario, on the bench's device: the training set D = D_f ∪ D_r (the original
/// model's), the forget set D_f, the retain set D_r (Retrain's only data), the held-out split, and the test set of the
/// audit (the held-out split, without the forgotten class in class-wise forgetting). The split owns its data sets.
/// </summary>
public sealed class UnlearningSplit : IDisposable
{
    internal UnlearningSplit(int seed, ForgetScenario scenario, LabeledTensors train, LabeledTensors heldOut, LabeledTensors test,
        LabeledTensors forget, LabeledTensors retain, long[] forgetIndices, long[] retainIndices)
    {
        Seed = seed; Scenario = scenario; Train = train; HeldOut = heldOut; Test = test; Forget = forget; Retain = retain;
        ForgetIndices = forgetIndices; RetainIndices = retainIndices;
    }

    /// <summary>The seed.</summary>
    public int Seed { get; }

    /// <summary>The scenario.</summary>
    public ForgetScenario Scenario { get; }

    /// <summary>D = D_f ∪ D_r, the original model's training set.</summary>
    public LabeledTensors Train { get; }

    /// <summary>The held-out split (every class).</summary>
    public LabeledTensors HeldOut { get; }

    /// <summary>The audit's test set D_test: <see cref="HeldOut"/>, or its samples of the remaining classes in class-wise forgetting.</summary>
    public LabeledTensors Test { get; }

    /// <summary>D_f.</summary>
    public LabeledTensors Forget { get; }

    /// <summary>D_r, in the order Retrain and the retain batches draw from.</summary>
    public LabeledTensors Retain { get; }

    /// <summary>The positions in the whole data set of D_f's samples, in D_f's order.</summary>
    public IReadOnlyList<long> ForgetIndices { get; }

    /// <summary>The positions in the whole data set of D_r's samples, in D_r's order.</summary>
    public IReadOnlyList<long> RetainIndices { get; }

    /// <summary>Frees every data set.</summary>
    public void Dispose()
    {
        foreach (var d in new[] { Train, HeldOut, Test, Forget, Retain }.Distinct()) d.Dispose();
    }
}
