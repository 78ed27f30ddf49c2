using System.Buffers.Binary;
using LossLab.Data;
using static TorchSharp.torch;

namespace LossLab.Tests.Data;

public class MnistIdxTests
{
    // IDX files written by hand: big-endian int32 header fields after the magic.
    static byte[] ImagesFile(int n, int rows, int cols, Func<int, int, byte> pixel, int? declaredCount = null, int magic = 2051)
    {
        var bytes = new byte[16 + n * rows * cols];
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(0), magic);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), declaredCount ?? n);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(8), rows);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(12), cols);
        for (int i = 0; i < n; i++)
            for (int p = 0; p < rows * cols; p++) bytes[16 + i * rows * cols + p] = pixel(i, p);
        return bytes;
    }

    static byte[] LabelsFile(int n, Func<int, byte> label, int magic = 2049)
    {
        var bytes = new byte[8 + n];
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(0), magic);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), n);
        for (int i = 0; i < n; i++) bytes[8 + i] = label(i);
        return bytes;
    }

    static byte Pixel(int i, int p) => (byte)((i * 7 + p * 31) % 256);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Reads_big_endian_headers_raw_or_gzipped(bool gzip)
    {
        // 300 images (0x0000012C: the count needs two header bytes) of 2 rows × 3 columns
        using var tmp = new TempFiles();
        var images = tmp.Write("imgs", ImagesFile(300, 2, 3, Pixel), gzip);
        var labels = tmp.Write("labels", LabelsFile(300, i => (byte)(i % 10)), gzip);
        using var data = MnistIdx.Load(images, labels);
        Assert.Equal(new long[] { 300, 6 }, data.Features.shape);
        Assert.Equal(ScalarType.Float32, data.Features.dtype);
        Assert.Equal(ScalarType.Int64, data.Labels.dtype);
        Assert.Equal(Pixel(257, 4) / 255f, data.Features[257, 4].item<float>());
        Assert.Equal(7L, data.Labels[257].item<long>());

        using var image = MnistIdx.Load(images, labels, FeatureLayout.Image);
        Assert.Equal(new long[] { 300, 1, 2, 3 }, image.Features.shape);
        Assert.Equal(Pixel(257, 4) / 255f, image.Features[257, 0, 1, 1].item<float>());   // p = 4 → row 1, column 1
        var raw = MnistIdx.ReadImages(images);
        Assert.Equal((300, 2, 3), (raw.Count, raw.Rows, raw.Columns));
    }

    [Fact]
    public void Reads_full_size_28_by_28_headers()
    {
        using var tmp = new TempFiles();
        var images = tmp.Write("train-images-idx3-ubyte", ImagesFile(3, 28, 28, (i, p) => (byte)(p == 783 ? 255 : i)));
        var labels = tmp.Write("train-labels-idx1-ubyte", LabelsFile(3, i => (byte)(9 - i)));
        using var data = MnistIdx.Load(images, labels, FeatureLayout.Image);
        Assert.Equal(new long[] { 3, 1, 28, 28 }, data.Features.shape);
        Assert.Equal(1f, data.Features[2, 0, 27, 27].item<float>());
        Assert.Equal(2 / 255f, data.Features[2, 0, 0, 0].item<float>());
        Assert.Equal(new long[] { 9, 8, 7 }, data.Labels.data<long>().ToArray());
    }

    [Fact]
    public void Reads_a_60000_item_header()
    {
        // 60000 = 0x0000EA60: the full training set's count spans two header bytes
        using var tmp = new TempFiles();
        var images = tmp.Write("train-images-idx3-ubyte.gz", ImagesFile(60000, 2, 2, (i, p) => (byte)(i % 251)), gzip: true);
        var labels = tmp.Write("train-labels-idx1-ubyte.gz", LabelsFile(60000, i => (byte)(i % 10)), gzip: true);
        using var data = MnistIdx.Load(images, labels);
        Assert.Equal(new long[] { 60000, 4 }, data.Features.shape);
        Assert.Equal(59999 % 251 / 255f, data.Features[59999, 3].item<float>());
        Assert.Equal(Enumerable.Repeat(6000L, 10), data.ClassCounts());
    }

    [Fact]
    public void Shipped_10k_subset_has_the_documented_classes()
    {
        using var data = MnistIdx.Load();
        Assert.Equal(new long[] { 10000, 784 }, data.Features.shape);
        Assert.Equal(new long[] { 1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978 }, data.ClassCounts());
        Assert.Equal(31095 / 255.0, data.Features[0].sum().item<float>(), 3);   // byte sum of image 0 (Python)
        Assert.Equal(0L, data.Labels[0].item<long>());
        Assert.Equal(9L, data.Labels[9999].item<long>());
    }

    [Fact]
    public void Count_mismatch_between_images_and_labels_names_both_files()
    {
        using var tmp = new TempFiles();
        var images = tmp.Write("imgs", ImagesFile(4, 2, 2, Pixel));
        var labels = tmp.Write("labels", LabelsFile(5, i => 1));
        var ex = Assert.Throws<InvalidDataException>(() => MnistIdx.Load(images, labels));
        Assert.Contains(images, ex.Message);
        Assert.Contains(labels, ex.Message);
        Assert.Contains("4 images", ex.Message);
        Assert.Contains("5 labels", ex.Message);
    }

    [Fact]
    public void Header_count_that_disagrees_with_the_file_length_is_an_error()
    {
        using var tmp = new TempFiles();
        var images = tmp.Write("imgs", ImagesFile(4, 2, 2, Pixel, declaredCount: 5));
        var ex = Assert.Throws<InvalidDataException>(() => MnistIdx.ReadImages(images));
        Assert.Contains(images, ex.Message);
        Assert.Contains("declares 5 images of 2×2 pixels (20 bytes) but the file holds 16 bytes", ex.Message);

        var labelBytes = LabelsFile(6, i => 0)[..^1];   // one label short
        var labels = tmp.Write("labels", labelBytes);
        var ex2 = Assert.Throws<InvalidDataException>(() => MnistIdx.ReadLabels(labels));
        Assert.Contains("declares 6 labels but the file holds 5 bytes", ex2.Message);
    }

    [Fact]
    public void Wrong_magic_and_short_header_are_errors()
    {
        using var tmp = new TempFiles();
        var labels = tmp.Write("labels", LabelsFile(3, i => 0));
        var ex = Assert.Throws<InvalidDataException>(() => MnistIdx.ReadImages(labels));
        Assert.Contains(labels, ex.Message);
        Assert.Contains("magic number is 2049", ex.Message);
        Assert.Contains("this is a label file", ex.Message);

        var images = tmp.Write("imgs", ImagesFile(1, 2, 2, Pixel));
        Assert.Contains("magic number is 2051", Assert.Throws<InvalidDataException>(() => MnistIdx.ReadLabels(images)).Message);

        var shortFile = tmp.Write("short", [0, 0, 8]);
        Assert.Contains("16-byte header", Assert.Throws<InvalidDataException>(() => MnistIdx.ReadImages(shortFile)).Message);
        Assert.Contains("8-byte header", Assert.Throws<InvalidDataException>(() => MnistIdx.ReadLabels(shortFile)).Message);

        var zeroRows = tmp.Write("zero", ImagesFile(0, 0, 28, Pixel));
        Assert.Contains("sizes positive", Assert.Throws<InvalidDataException>(() => MnistIdx.ReadImages(zeroRows)).Message);
    }

    [Fact]
    public void A_corrupt_gzip_file_is_an_error_naming_it()
    {
        using var tmp = new TempFiles();
        // gzip header, then a deflate block of the reserved type 3 (BFINAL = 1, BTYPE = 11)
        var path = tmp.Write("bad.gz", [0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0x03, 0x07, 0, 0, 0]);
        var ex = Assert.Throws<InvalidDataException>(() => MnistIdx.ReadImages(path));
        Assert.Contains(path, ex.Message);
        Assert.Contains("does not decompress", ex.Message);
    }
}
