using static TorchSharp.torch;

namespace LossLab.Data;

/// <summary>
/// MNIST in the IDX format of LeCun, Cortes and Burges: big-endian headers, an images file (magic 2051 = 0x00000803:
/// unsigned bytes, 3 dimensions N, rows, columns) and a labels file (magic 2049 = 0x00000801: unsigned bytes, 1 dimension N).
/// Reads gzip-compressed or raw files: the 10,000 images shipped in <c>data/mnist-10k/</c> and the full 60,000/10,000
/// <c>train-*</c>/<c>t10k-*</c> files a user downloads.
/// </summary>
public static class MnistIdx
{
    /// <summary>Magic number of an IDX file of unsigned bytes with 3 dimensions (images).</summary>
    public const int ImagesMagic = 0x00000803;

    /// <summary>Magic number of an IDX file of unsigned bytes with 1 dimension (labels).</summary>
    public const int LabelsMagic = 0x00000801;

    /// <summary>The shipped images, <c>data/mnist-10k/images-idx3-ubyte.gz</c>.</summary>
    public static string DefaultImagesPath => DataDirectory.Resolve("mnist-10k", "images-idx3-ubyte.gz");

    /// <summary>The shipped labels, <c>data/mnist-10k/labels-idx1-ubyte.gz</c>.</summary>
    public static string DefaultLabelsPath => DataDirectory.Resolve("mnist-10k", "labels-idx1-ubyte.gz");

    /// <summary>
    /// Loads images and labels. Features are float32 grey levels divided by 255, so they lie in [0, 1], shaped
    /// (N, rows·columns) for <see cref="FeatureLayout.Flat"/> or (N, 1, rows, columns) for <see cref="FeatureLayout.Image"/>
    /// ((N, 784) or (N, 1, 28, 28) for MNIST); labels are int64.
    /// </summary>
    /// <param name="imagesPath">An IDX image file; default <see cref="DefaultImagesPath"/>.</param>
    /// <param name="labelsPath">The matching IDX label file; default <see cref="DefaultLabelsPath"/>.</param>
    /// <param name="layout">The feature shape.</param>
    /// <exception cref="InvalidDataException">A file is malformed, or the two files hold different numbers of items.</exception>
    public static LabeledTensors Load(string? imagesPath = null, string? labelsPath = null, FeatureLayout layout = FeatureLayout.Flat)
    {
        imagesPath ??= DefaultImagesPath;
        labelsPath ??= DefaultLabelsPath;
        var images = ReadImages(imagesPath);
        var labels = ReadLabels(labelsPath);
        if (labels.Length != images.Count)
            throw new InvalidDataException(
                $"MNIST files do not match: '{imagesPath}' holds {images.Count} images but '{labelsPath}' holds {labels.Length} labels.");
        var features = new float[images.Pixels.Length];
        for (int i = 0; i < features.Length; i++) features[i] = images.Pixels[i] / 255f;
        long n = images.Count;
        long[] shape = layout == FeatureLayout.Image ? [n, 1, images.Rows, images.Columns] : [n, (long)images.Rows * images.Columns];
        var longLabels = new long[labels.Length];
        for (int i = 0; i < labels.Length; i++) longLabels[i] = labels[i];
        return new LabeledTensors(tensor(features, shape), tensor(longLabels, [n]));
    }

    /// <summary>Reads an IDX image file (magic 2051), checking that the header's dimensions match the file's length.</summary>
    /// <exception cref="InvalidDataException">The file is too short for a header, has another magic number, zero-sized
    /// dimensions, or a pixel count that differs from N·rows·columns.</exception>
    public static IdxImages ReadImages(string path)
    {
        var bytes = DataFile.ReadAllBytes(path);
        const int header = 16;
        int magic = bytes.Length >= 4 ? BigEndian(bytes, 0) : -1;
        if (bytes.Length >= 4 && magic != ImagesMagic)
            throw DataFile.Malformed(path, $"magic number is {magic} (0x{magic:X8}); an IDX image file has {ImagesMagic} (0x{ImagesMagic:X8})" +
                (magic == LabelsMagic ? " — this is a label file" : ""));
        if (bytes.Length < header)
            throw DataFile.Malformed(path, $"an IDX image file needs a {header}-byte header, but the file holds {bytes.Length} bytes");
        int n = BigEndian(bytes, 4), rows = BigEndian(bytes, 8), cols = BigEndian(bytes, 12);
        if (n < 0 || rows <= 0 || cols <= 0)
            throw DataFile.Malformed(path, $"header declares {n} images of {rows}×{cols} pixels; counts must be non-negative and sizes positive");
        long expected = (long)n * rows * cols;
        long actual = bytes.Length - header;
        if (actual != expected)
            throw DataFile.Malformed(path, $"header declares {n} images of {rows}×{cols} pixels ({expected} bytes) but the file holds {actual} bytes after the header");
        return new IdxImages(n, rows, cols, bytes[header..]);
    }

    /// <summary>Reads an IDX label file (magic 2049), checking that the header's count matches the file's length.</summary>
    /// <exception cref="InvalidDataException">The file is too short for a header, has another magic number, or holds a
    /// different number of labels than its header declares.</exception>
    public static byte[] ReadLabels(string path)
    {
        var bytes = DataFile.ReadAllBytes(path);
        const int header = 8;
        int magic = bytes.Length >= 4 ? BigEndian(bytes, 0) : -1;
        if (bytes.Length >= 4 && magic != LabelsMagic)
            throw DataFile.Malformed(path, $"magic number is {magic} (0x{magic:X8}); an IDX label file has {LabelsMagic} (0x{LabelsMagic:X8})" +
                (magic == ImagesMagic ? " — this is an image file" : ""));
        if (bytes.Length < header)
            throw DataFile.Malformed(path, $"an IDX label file needs an {header}-byte header, but the file holds {bytes.Length} bytes");
        int n = BigEndian(bytes, 4);
        long actual = bytes.Length - header;
        if (n < 0 || actual != n)
            throw DataFile.Malformed(path, $"header declares {n} labels but the file holds {actual} bytes after the header");
        return bytes[header..];
    }

    static int BigEndian(byte[] b, int offset) =>
        (b[offset] << 24) | (b[offset + 1] << 16) | (b[offset + 2] << 8) | b[offset + 3];
}
