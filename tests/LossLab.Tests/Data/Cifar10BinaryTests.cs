using LossLab.Data;
using static TorchSharp.torch;

namespace LossLab.Tests.Data;

public class Cifar10BinaryTests
{
    // A record: label byte, then 1024 red, 1024 green, 1024 blue bytes (each 32×32 row-major).
    static byte[] Records(params (byte Label, Func<int, int, int, byte> Pixel)[] records)
    {
        var bytes = new byte[records.Length * 3073];
        for (int r = 0; r < records.Length; r++)
        {
            bytes[r * 3073] = records[r].Label;
            for (int c = 0; c < 3; c++)
                for (int y = 0; y < 32; y++)
                    for (int x = 0; x < 32; x++)
                        bytes[r * 3073 + 1 + c * 1024 + y * 32 + x] = records[r].Pixel(c, y, x);
        }
        return bytes;
    }

    static byte P(int c, int y, int x) => (byte)((c * 100 + y * 5 + x) % 256);

    [Fact]
    public void Reads_labels_and_channel_major_pixels()
    {
        using var tmp = new TempFiles();
        var a = tmp.Write("data_batch_1.bin", Records((3, P), (9, (c, y, x) => (byte)(c == 2 ? 255 : 0))));
        var b = tmp.Write("test_batch.bin", Records((0, (c, y, x) => 51)));
        using var data = Cifar10Binary.Load([a, b]);
        Assert.Equal(new long[] { 3, 3, 32, 32 }, data.Features.shape);
        Assert.Equal(ScalarType.Float32, data.Features.dtype);
        Assert.Equal(new long[] { 3, 9, 0 }, data.Labels.data<long>().ToArray());
        Assert.Equal(P(1, 4, 7) / 255f, data.Features[0, 1, 4, 7].item<float>());   // green, row 4, column 7
        Assert.Equal(P(2, 31, 0) / 255f, data.Features[0, 2, 31, 0].item<float>());
        Assert.Equal(1f, data.Features[1, 2, 10, 10].item<float>());
        Assert.Equal(0f, data.Features[1, 0, 10, 10].item<float>());
        Assert.Equal(0.2f, data.Features[2, 1, 5, 5].item<float>(), 6);

        using var flat = Cifar10Binary.Load(a, FeatureLayout.Flat);
        Assert.Equal(new long[] { 2, 3072 }, flat.Features.shape);
        Assert.Equal(P(1, 4, 7) / 255f, flat.Features[0, 1024 + 4 * 32 + 7].item<float>());
    }

    [Fact]
    public void A_length_that_is_not_whole_records_is_an_error()
    {
        using var tmp = new TempFiles();
        var path = tmp.Write("data_batch_1.bin", Records((1, P))[..3000]);
        var ex = Assert.Throws<InvalidDataException>(() => Cifar10Binary.Load(path));
        Assert.Contains(path, ex.Message);
        Assert.Contains("not a multiple of 3073", ex.Message);
    }

    [Fact]
    public void A_label_byte_above_9_is_an_error_naming_the_record()
    {
        using var tmp = new TempFiles();
        var path = tmp.Write("data_batch_2.bin", Records((1, P), (12, P)));
        var ex = Assert.Throws<InvalidDataException>(() => Cifar10Binary.Load(path));
        Assert.Contains(path, ex.Message);
        Assert.Contains("record 1 has label byte 12", ex.Message);
    }

    [Fact]
    public void Empty_files_and_empty_path_lists_are_errors()
    {
        using var tmp = new TempFiles();
        var path = tmp.Write("empty.bin", []);
        Assert.Contains("it is empty", Assert.Throws<InvalidDataException>(() => Cifar10Binary.Load(path)).Message);
        Assert.Equal("paths", Assert.Throws<ArgumentException>(() => Cifar10Binary.Load(Array.Empty<string>())).ParamName);
    }
}
