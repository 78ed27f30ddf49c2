namespace LossLab.Notebooks.Tests.Execution;

public class ComparableOutputsTests
{
    static string Row(string key, string value) => $"<tr><td>{key}</td><td><div class=\"dni-plaintext\"><pre>{value}</pre></div></td></tr>";

    [Fact]
    public void Timed_members_of_the_kernels_object_trees_are_masked_and_measured_ones_kept()
    {
        string tree = "<table><tbody>" + Row("Seed", "3") + Row("MsPerStep", "0.26097125") + Row("Seconds", "0.014266")
            + Row("Time", "0.52") + Row("Accuracy", "0.9125") + "</tbody></table>";
        string masked = ComparableOutputs.Mask(tree);
        Assert.Contains(Row("MsPerStep", "#t"), masked);
        Assert.Contains(Row("Seconds", "#t"), masked);
        Assert.Contains(Row("Time", "#t"), masked);
        Assert.Contains(Row("Seed", "3"), masked);
        Assert.Contains(Row("Accuracy", "0.9125"), masked);
        // two runs that differ only in their timings compare equal; a changed measurement does not
        string other = tree.Replace("0.26097125", "0.2561975").Replace("0.014266", "0.0112456").Replace(">0.52<", ">0.45<");
        Assert.Equal(masked, ComparableOutputs.Mask(other));
        Assert.NotEqual(masked, ComparableOutputs.Mask(tree.Replace("0.9125", "0.9126")));
    }

    [Fact]
    public void Timed_columns_of_flat_tables_are_masked()
    {
        string table = "<table><thead><tr><th>Loss</th><th>Seconds</th></tr></thead><tbody><tr><td>CE</td><td>1.25</td></tr></tbody></table>";
        Assert.Equal("<table><thead><tr><th>Loss</th><th>Seconds</th></tr></thead><tbody><tr><td>CE</td><td>#t</td></tr></tbody></table>",
            ComparableOutputs.Mask(table));
    }
}
