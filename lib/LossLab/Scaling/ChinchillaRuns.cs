using System.Globalization;

namespace LossLab.Scaling;

/// <summary>One training run of Hoffmann et al.'s Figure 4: N parameters, C training FLOP, final loss.</summary>
public sealed record ChinchillaRun(double Parameters, double Flops, double Loss)
{
    /// <summary>Training tokens D = C/(6N).</summary>
    public double Tokens => ComputeAccounting.TokensForBudget(Flops, Parameters);
}

/// <summary>
/// Reads the Chinchilla runs extracted by Besiroglu et al. (2024, arXiv:2404.10102) from Figure 4 of Hoffmann et al.
/// (2022, arXiv:2203.15556): the CSV <c>svg_extracted_data.csv</c> with columns <c>Model Size</c>, <c>Training FLOP</c>
/// and <c>loss</c> (other columns ignored).
/// </summary>
public static class ChinchillaRuns
{
    /// <summary>Reads the runs from <paramref name="path"/>, in file order.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="FormatException">A required column is missing or a value does not parse.</exception>
    public static IReadOnlyList<ChinchillaRun> Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"No Chinchilla data at {Path.GetFullPath(path)}.", path);
        return Parse(File.ReadAllLines(path));
    }

    /// <summary>Parses CSV lines (a header line first).</summary>
    public static IReadOnlyList<ChinchillaRun> Parse(IReadOnlyList<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        if (lines.Count == 0) throw new FormatException("The Chinchilla CSV is empty: it needs a header line.");
        var header = lines[0].Split(',').Select(h => h.Trim()).ToList();
        int Column(string name) => header.IndexOf(name) is var i and >= 0 ? i
            : throw new FormatException($"The Chinchilla CSV has no '{name}' column; its columns are {string.Join(", ", header)}.");
        int nCol = Column("Model Size"), cCol = Column("Training FLOP"), lCol = Column("loss");
        var runs = new List<ChinchillaRun>();
        for (int i = 1; i < lines.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i])) continue;
            var cells = lines[i].Split(',');
            double Cell(int c) => c < cells.Length && double.TryParse(cells[c], NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
                ? v : throw new FormatException($"Line {i + 1} of the Chinchilla CSV: column {header[c]} is not a number.");
            runs.Add(new ChinchillaRun(Cell(nCol), Cell(cCol), Cell(lCol)));
        }
        return runs;
    }

    /// <summary>The runs without the <paramref name="count"/> highest-loss ones (Besiroglu et al. drop 5, leaving 240).</summary>
    public static IReadOnlyList<ChinchillaRun> DropHighestLoss(IReadOnlyList<ChinchillaRun> runs, int count = 5)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (count < 0 || count > runs.Count) throw new ArgumentOutOfRangeException(nameof(count), count, $"count must lie in [0, {runs.Count}].");
        var dropped = runs.Select((r, i) => (r, i)).OrderByDescending(t => t.r.Loss).Take(count).Select(t => t.i).ToHashSet();
        return runs.Where((_, i) => !dropped.Contains(i)).ToList();
    }

    /// <summary>The runs as points (N, D) → loss for <see cref="ChinchillaLaw"/>.</summary>
    public static LawPoints ToPoints(IReadOnlyList<ChinchillaRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        return LawPoints.FromColumns(runs.Select(r => r.Loss).ToArray(), runs.Select(r => r.Parameters).ToArray(), runs.Select(r => r.Tokens).ToArray());
    }
}
