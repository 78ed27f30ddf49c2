using LossLab.Data;
using static TorchSharp.torch;

namespace LossLab.Experiments.Imbalance;

/// <summary>What a curve measurement sees after an epoch: the method, the seed, how many epochs are complete, the
/// network (in eval mode, gradients off) and the bench's data already on <paramref name="Device"/>.</summary>
/// <param name="Method">The method being trained.</param>
/// <param name="Seed">The seed.</param>
/// <param name="Epoch">Epochs completed (1-based; a stage counts on from its source's epochs).</param>
/// <param name="Network">The network.</param>
/// <param name="Train">The training set, on the device.</param>
/// <param name="Test">The test set, on the device.</param>
/// <param name="ClassCount">C, the number of classes.</param>
/// <param name="Device">Where the network and data live.</param>
public sealed record LongTailEpoch(LongTailMethod Method, int Seed, int Epoch, LongTailNetwork Network, LabeledTensors Train, LabeledTensors Test,
    int ClassCount, Device Device);
