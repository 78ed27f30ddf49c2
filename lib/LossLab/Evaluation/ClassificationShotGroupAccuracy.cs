namespace LossLab.Evaluation;

/// <summary>
/// Accuracy on many-, medium- and few-shot classes (see <see cref="ClassificationMetrics.ShotAccuracy(TorchSharp.torch.Tensor, TorchSharp.torch.Tensor, IReadOnlyList{long}, int, int)"/>):
/// each the mean of its classes' test accuracies (NaN when the group has no class), with the number of classes in each group.
/// </summary>
public sealed record ShotGroupAccuracy(double Many, double Medium, double Few, int ManyClasses, int MediumClasses, int FewClasses);
