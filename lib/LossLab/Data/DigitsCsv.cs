using System.Globalization;
using System.Text;
using static TorchSharp.torch;

namespace LossLab.Data;

/// <summary>
/// The 8×8 handwritten digits of the UCI "Optical Recognition of Handwritten Digits" set (Alpaydin and Kaynak, 1998) in
/// scikit-learn's CSV form: one row per image, 64 pixel values 0–16 in row-major order, then the label 0–9, no header.
/// The repository ships it as <c>data/digits/digits.csv.gz</c> (1,797 images; see <c>data/SOURCE.md</c>).
/// </summary>
public static class DigitsCsv
{
    /// <summary>Pixels per image (8×8).</summary>
    public const int Pixels = 64;

    /// <summary>The largest grey level in the file; features are divided by it.</summary>
    public const int MaxLevel = 16;

    /// <summary>The shipped copy, <c>data/digits/digits.csv.gz</c>, found from any working directory.</summary>
    public static string DefaultPath => DataDirectory.Resolve("digits", "digits.csv.gz");

    /// <summary>
    /// Loads the digits. Features are float32 grey levels divided by 16, so they lie in [0, 1], shaped (N, 64) for
    /// <see cref="FeatureLayout.Flat"/> or (N, 1, 8, 8) for <see cref="FeatureLayout.Image"/>; labels are int64 in [0, 9].
    /// </summary>
    /// <param name="path">A CSV file, gzip-compressed or plain; default <see cref="DefaultPath"/>.</param>
    /// <param name="layout">The feature shape.</param>
    /// <exception cref="InvalidDataException">A row does not hold 65 integers, a pixel lies outside 0–16 or a label outside
    /// 0–9, or the file has no rows; the message names the file and the line.</exception>
    public static LabeledTensors Load(string? path = null, FeatureLayout layout = FeatureLayout.Flat)
    {
        path ??= DefaultPath;
        var text = Encoding.UTF8.GetString(DataFile.ReadAllBytes(path));
        var pixels = new List<float>();
        var labels = new List<long>();
        var lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0) continue;
            var fields = line.Split(',');
            if (fields.Length != Pixels + 1)
                throw DataFile.Malformed(path, $"line {i + 1} holds {fields.Length} comma-separated fields; expected {Pixels + 1} (64 pixels, then the label)");
            for (int j = 0; j <= Pixels; j++)
            {
                if (!int.TryParse(fields[j].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int v))
                    throw DataFile.Malformed(path, $"line {i + 1}, field {j + 1} is '{fields[j]}', not an integer");
                if (j < Pixels)
                {
                    if (v < 0 || v > MaxLevel)
                        throw DataFile.Malformed(path, $"line {i + 1}, pixel {j + 1} is {v}; grey levels must lie in 0–{MaxLevel}");
                    pixels.Add(v / (float)MaxLevel);
                }
                else
                {
                    if (v < 0 || v > 9)
                        throw DataFile.Malformed(path, $"line {i + 1} has label {v}; labels must lie in 0–9");
                    labels.Add(v);
                }
            }
        }
        if (labels.Count == 0) throw DataFile.Malformed(path, "it holds no rows");
        long n = labels.Count;
        long[] shape = layout == FeatureLayout.Image ? [n, 1, 8, 8] : [n, Pixels];
        return new LabeledTensors(tensor(pixels.ToArray(), shape), tensor(labels.ToArray(), [n]));
    }
}
