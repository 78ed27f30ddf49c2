using static TorchSharp.torch;

namespace LossLab.Training;

/// <summary>
/// What a training step minimises: the scalar loss of a batch, computed through the model so that backward reaches its
/// parameters. Cross-entropy on logits, a pair loss on embeddings, or an unlearning objective that draws its own extra
/// (retain) batches are all objectives, so one loop serves them all. An objective does not open dispose scopes: the
/// trainer's step owns one.
/// </summary>
public interface ITrainingObjective
{
    /// <summary>The scalar loss of <paramref name="batch"/>.</summary>
    Tensor Loss(Batch batch);
}
