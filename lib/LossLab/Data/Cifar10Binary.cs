using static TorchSharp.torch;

namespace LossLab.Data;

/// <summary>
/// CIFAR-10 in its binary version (Krizhevsky, 2009, "Learning Multiple Layers of Features from Tiny Images";
/// https://www.cs.toronto.edu/~kriz/cifar.html): files <c>data_batch_1.bin</c> … <c>data_batch_5.bin</c> and
/// <c>test_batch.bin</c> of 10,000 records each, a record being 1 label byte (0–9) followed by 3,072 pixel bytes:
/// the 1,024 red values of the 32×32 image in row-major order, then green, then blue.
/// </summary>
public static class Cifar10Binary
{
    /// <summary>Bytes per image: 3 channels × 32 × 32.</summary>
    public const int ImageBytes = 3 * 32 * 32;

    /// <summary>Bytes per record: the label byte and the image.</summary>
    public const int RecordBytes = 1 + ImageBytes;

    /// <summary>
    /// Loads the records of <paramref name="paths"/>, in order (gzip-compressed files are read too). Features are float32
    /// values divided by 255, so they lie in [0, 1], shaped (N, 3, 32, 32) for <see cref="FeatureLayout.Image"/> or
    /// (N, 3072) for <see cref="FeatureLayout.Flat"/>; labels are int64 in [0, 9].
    /// </summary>
    /// <exception cref="ArgumentException">No path was given.</exception>
    /// <exception cref="InvalidDataException">A file is empty, its length is not a multiple of 3,073 bytes, or a label
    /// byte exceeds 9; the message names the file (and the record).</exception>
    public static LabeledTensors Load(IEnumerable<string> paths, FeatureLayout layout = FeatureLayout.Image)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var list = paths.ToList();
        if (list.Count == 0) throw new ArgumentException("paths must name at least one CIFAR-10 binary file.", nameof(paths));
        var files = list.Select(p => (Path: p, Bytes: DataFile.ReadAllBytes(p))).ToList();
        foreach (var (path, bytes) in files)
        {
            if (bytes.Length == 0) throw DataFile.Malformed(path, "it is empty");
            if (bytes.Length % RecordBytes != 0)
                throw DataFile.Malformed(path, $"its length {bytes.Length} is not a multiple of {RecordBytes} bytes " +
                    $"(1 label byte + {ImageBytes} pixel bytes per record): {bytes.Length / RecordBytes} whole records and {bytes.Length % RecordBytes} bytes left over");
        }
        long n = files.Sum(f => (long)(f.Bytes.Length / RecordBytes));
        var features = new float[n * ImageBytes];
        var labels = new long[n];
        long k = 0;
        foreach (var (path, bytes) in files)
        {
            for (int r = 0; r < bytes.Length / RecordBytes; r++, k++)
            {
                int offset = r * RecordBytes;
                byte label = bytes[offset];
                if (label > 9) throw DataFile.Malformed(path, $"record {r} has label byte {label}; CIFAR-10 labels lie in 0–9");
                labels[k] = label;
                long dst = k * ImageBytes;
                for (int j = 0; j < ImageBytes; j++) features[dst + j] = bytes[offset + 1 + j] / 255f;
            }
        }
        long[] shape = layout == FeatureLayout.Image ? [n, 3, 32, 32] : [n, ImageBytes];
        return new LabeledTensors(tensor(features, shape), tensor(labels, [n]));
    }

    /// <summary>Loads one file; see <see cref="Load(IEnumerable{string}, FeatureLayout)"/>.</summary>
    public static LabeledTensors Load(string path, FeatureLayout layout = FeatureLayout.Image) => Load([path], layout);
}
