using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Training;

/// <summary>Ready-made training objectives.</summary>
public static class Objectives
{
    /// <summary>An objective from a function of the batch.</summary>
    public static ITrainingObjective From(Func<Batch, Tensor> loss)
    {
        ArgumentNullException.ThrowIfNull(loss);
        return new FunctionObjective(loss);
    }

    /// <summary>Mean cross-entropy of <paramref name="model"/>'s logits against the batch's class labels, optionally with
    /// label smoothing ε (Szegedy et al. 2016, arXiv:1512.00567): targets (1 − ε)·onehot + ε/C.</summary>
    public static ITrainingObjective CrossEntropy(nn.Module<Tensor, Tensor> model, double labelSmoothing = 0)
    {
        ArgumentNullException.ThrowIfNull(model);
        Guard.InRange(labelSmoothing, 0, 1, nameof(labelSmoothing));
        return new FunctionObjective(b =>
            nn.functional.cross_entropy(model.forward(b.Inputs), b.Targets, label_smoothing: labelSmoothing));
    }

    /// <summary>A loss module applied to the model's output and the batch's targets: loss(model(x), y). Serves pair losses
    /// on embeddings (the model returns embeddings) as well as classification losses on logits.</summary>
    public static ITrainingObjective OnOutputs(nn.Module<Tensor, Tensor> model, nn.Module<Tensor, Tensor, Tensor> loss)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(loss);
        return new FunctionObjective(b => loss.forward(model.forward(b.Inputs), b.Targets));
    }

    sealed class FunctionObjective(Func<Batch, Tensor> loss) : ITrainingObjective
    {
        public Tensor Loss(Batch batch) => loss(batch);
    }
}
