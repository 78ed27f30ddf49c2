namespace LossLab.Losses;

/// <summary>The functional forms of the classification and imbalance losses: each takes (input, target, …) tensors and
/// the loss's hyperparameters and returns the reduced loss, with the same checks and numerics as its module.</summary>
public static partial class LossFunctions
{
}
