using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Data;

/// <summary>
/// Features and labels held as two tensors whose first dimension indexes the samples. The dataset owns its tensors
/// (they are detached from any dispose scope) and frees them when disposed. Mini-batches are index selections: each batch
/// is a pair of new tensors that belong to the dispose scope open when the batch is taken (a training step's).
/// </summary>
/// <remarks>Named so as not to clash with TorchSharp's <c>torch.utils.data.TensorDataset</c>; it was called
/// <c>LabeledTensors</c> before.</remarks>
public sealed class LabeledTensors : IDisposable
{
    /// <summary>Wraps <paramref name="features"/> (N, …) and <paramref name="labels"/> (N, …), taking ownership of both.</summary>
    /// <exception cref="ArgumentException">The first dimensions differ, or a tensor is a scalar.</exception>
    public LabeledTensors(Tensor features, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        if (features.dim() == 0) throw new ArgumentException("features must have a sample dimension; got a scalar.", nameof(features));
        if (labels.dim() == 0) throw new ArgumentException("labels must have a sample dimension; got a scalar.", nameof(labels));
        if (features.shape[0] != labels.shape[0])
            throw new ArgumentException(
                $"features and labels must have the same number of samples: features is {Guard.Shape(features)}, labels is {Guard.Shape(labels)}.",
                nameof(labels));
        Features = features.DetachFromDisposeScope();
        Labels = labels.DetachFromDisposeScope();
    }

    /// <summary>The features, (N, …).</summary>
    public Tensor Features { get; }

    /// <summary>The labels, (N) class indices for classification or (N, …) targets.</summary>
    public Tensor Labels { get; }

    /// <summary>The number of samples N.</summary>
    public long Count => Features.shape[0];

    /// <summary>The number of classes, max label + 1 (integer labels only).</summary>
    public int NumClasses
    {
        get
        {
            Guard.Labels(Labels, nameof(Labels));
            using var max = Labels.max();
            return Count == 0 ? 0 : (int)max.item<long>() + 1;
        }
    }

    /// <summary>Samples per class, indexed by label (integer labels only).</summary>
    public long[] ClassCounts()
    {
        Guard.Labels(Labels, nameof(Labels));
        using var counts = Labels.to_type(ScalarType.Int64).bincount(null, NumClasses).cpu();
        return counts.data<long>().ToArray();
    }

    /// <summary>
    /// The mini-batches of one pass over the data, on the data's device. With <paramref name="shuffle"/>, the order is a
    /// permutation drawn from <paramref name="generator"/> (the same generator state gives the same batches); otherwise
    /// samples come in order. The permutation is drawn on the generator's device (the CPU for
    /// <see cref="LossLab.Training.Seeds.Generator"/>'s, and for torch's global generator when none is given), so data on
    /// a GPU is shuffled exactly as the same data on the CPU.
    /// <para>Shuffled batches are copies (gathered rows). Batches in order are views of this data set's storage (rows
    /// <c>start … start + size</c>; no copy), as long as its tensors are contiguous: modifying such a batch in place
    /// modifies the data set.</para>
    /// </summary>
    public IEnumerable<(Tensor Features, Tensor Labels)> Batches(int batchSize, bool shuffle = true,
        Generator? generator = null, bool dropLast = false)
    {
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batchSize must be positive.");
        long n = Count;
        Tensor? order = null;   // null: rows in order, as views
        if (shuffle || !Features.is_contiguous() || !Labels.is_contiguous())
            using (NewDisposeScope())
            {
                var device = Features.device;
                order = (shuffle ? randperm(n, generator: generator, device: generator?.device ?? CPU).to(device)
                                 : arange(n, device: device, dtype: ScalarType.Int64)).MoveToOuterDisposeScope();
            }
        return Iterate(order, batchSize, dropLast);
    }

    /// <summary>The batches of rows <c>order[start … start + len]</c>, gathered (copies); with no <paramref name="order"/>,
    /// rows <c>start … start + len</c> as views: the same values, in the same contiguous layout, without the copy.</summary>
    IEnumerable<(Tensor, Tensor)> Iterate(Tensor? order, int batchSize, bool dropLast)
    {
        using var _ = order;
        long n = Count;
        for (long start = 0; start < n; start += batchSize)
        {
            long len = Math.Min(batchSize, n - start);
            if (dropLast && len < batchSize) yield break;
            if (order is null)
            {
                yield return (Features.narrow(0, start, len), Labels.narrow(0, start, len));
                continue;
            }
            using var idx = order.narrow(0, start, len);
            yield return (Features.index_select(0, idx), Labels.index_select(0, idx));
        }
    }

    /// <summary>A new dataset holding copies of the samples at <paramref name="indices"/>.</summary>
    public LabeledTensors Subset(long[] indices) => Subset((IReadOnlyList<long>)indices);

    /// <summary>A new dataset holding copies of the samples at <paramref name="indices"/>.</summary>
    public LabeledTensors Subset(IReadOnlyList<long> indices)
    {
        using var idx = tensor(indices.ToArray(), dtype: ScalarType.Int64, device: Features.device);
        return Subset(idx);
    }

    /// <summary>A new dataset holding copies of the samples at <paramref name="indices"/> (an int64 tensor).</summary>
    public LabeledTensors Subset(Tensor indices)
    {
        if (indices.numel() > 0)
        {
            using var minT = indices.min();
            using var maxT = indices.max();
            long min = minT.item<long>(), max = maxT.item<long>();
            if (min < 0 || max >= Count)
                throw new ArgumentOutOfRangeException(nameof(indices), $"indices must lie in [0, {Count}); got {min} to {max}.");
        }
        return new LabeledTensors(Features.index_select(0, indices), Labels.index_select(0, indices));
    }

    /// <summary>A copy of the dataset on <paramref name="device"/>.</summary>
    public LabeledTensors To(Device device) => new(Features.to(device), Labels.to(device));

    /// <summary>Frees both tensors.</summary>
    public void Dispose()
    {
        Features.Dispose();
        Labels.Dispose();
    }
}
