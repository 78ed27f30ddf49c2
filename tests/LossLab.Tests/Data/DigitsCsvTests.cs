using LossLab.Data;
using static TorchSharp.torch;

namespace LossLab.Tests.Data;

public class DigitsCsvTests
{
    [Fact]
    public void Shipped_digits_have_the_documented_rows_classes_and_scaling()
    {
        using var data = DigitsCsv.Load();
        Assert.Equal(new long[] { 1797, 64 }, data.Features.shape);
        Assert.Equal(ScalarType.Float32, data.Features.dtype);
        Assert.Equal(ScalarType.Int64, data.Labels.dtype);
        // per-class counts of sklearn's digits.csv (counted independently with Python)
        Assert.Equal(new long[] { 178, 182, 177, 183, 181, 182, 181, 179, 174, 180 }, data.ClassCounts());
        // first row: pixels sum to 294 (levels 0–16), label 0
        Assert.Equal(294.0 / 16, data.Features[0].sum().item<float>(), 4);
        Assert.Equal(0L, data.Labels[0].item<long>());
        Assert.Equal(1.0f, data.Features.max().item<float>());
        Assert.Equal(0.0f, data.Features.min().item<float>());
        // row 0 starts 0,0,5,13,9,1,0,0
        Assert.Equal(new[] { 0f, 0f, 5 / 16f, 13 / 16f, 9 / 16f, 1 / 16f, 0f, 0f }, data.Features[0].narrow(0, 0, 8).data<float>().ToArray());
    }

    [Fact]
    public void Image_layout_is_N_1_8_8_in_row_major_order()
    {
        using var flat = DigitsCsv.Load();
        using var image = DigitsCsv.Load(layout: FeatureLayout.Image);
        Assert.Equal(new long[] { 1797, 1, 8, 8 }, image.Features.shape);
        // pixel 13 of row 5 is (row 1, column 5) of image 5
        Assert.Equal(flat.Features[5, 13].item<float>(), image.Features[5, 0, 1, 5].item<float>());
    }

    [Fact]
    public void Plain_and_gzipped_files_read_alike()
    {
        using var tmp = new TempFiles();
        var row = string.Join(",", Enumerable.Range(0, 64).Select(i => i % 17)) + ",7\n";
        var plain = tmp.WriteText("d.csv", row + row);
        var gz = tmp.WriteText("d.csv.gz", row + row, gzip: true);
        using var a = DigitsCsv.Load(plain);
        using var b = DigitsCsv.Load(gz);
        Assert.Equal(2, a.Count);
        Assert.Equal(a.Features.data<float>().ToArray(), b.Features.data<float>().ToArray());
        Assert.Equal(16 / 16f, a.Features[0, 16].item<float>());
        Assert.Equal(1 / 16f, a.Features[0, 18].item<float>());   // 18 % 17 = 1
        Assert.Equal(7L, a.Labels[1].item<long>());
    }

    [Theory]
    [InlineData("1,2,3\n", "holds 3 comma-separated fields")]
    [InlineData("x", "not an integer")]
    [InlineData("17", "grey levels must lie in 0–16")]
    [InlineData("label", "labels must lie in 0–9")]
    [InlineData("", "holds no rows")]
    public void Malformed_files_name_the_file_and_the_problem(string kind, string expected)
    {
        using var tmp = new TempFiles();
        var fields = Enumerable.Repeat("0", 65).ToArray();
        string text = kind switch
        {
            "x" => string.Join(",", fields.Select((f, i) => i == 3 ? "x" : f)),
            "17" => string.Join(",", fields.Select((f, i) => i == 3 ? "17" : f)),
            "label" => string.Join(",", fields.Select((f, i) => i == 64 ? "10" : f)),
            _ => kind,
        };
        var path = tmp.WriteText("bad.csv", text);
        var ex = Assert.Throws<InvalidDataException>(() => DigitsCsv.Load(path));
        Assert.Contains(path, ex.Message);
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        var ex = Assert.Throws<FileNotFoundException>(() => DigitsCsv.Load("/nonexistent/digits.csv"));
        Assert.Contains("/nonexistent/digits.csv", ex.Message);
    }
}
