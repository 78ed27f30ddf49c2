using LossLab.Data;

namespace LossLab.Tests.Data;

public class DataDirectoryTests
{
    [Fact]
    public void Finds_the_data_folder_from_a_nested_working_directory()
    {
        using var tmp = new TempFiles();
        tmp.WriteText("Notebooks.sln", "");
        Directory.CreateDirectory(Path.Combine(tmp.Root, "data"));
        var nested = Path.Combine(tmp.Root, "notebooks", "imbalance", "deep");
        Directory.CreateDirectory(nested);
        Assert.Equal(Path.Combine(tmp.Root, "data"), DataDirectory.Find(nested));
        Assert.Equal(tmp.Root, DataDirectory.FindRoot(nested));
    }

    [Fact]
    public void A_tree_without_Notebooks_sln_is_an_error_that_says_where_it_looked()
    {
        using var tmp = new TempFiles();
        var ex = Assert.Throws<DirectoryNotFoundException>(() => DataDirectory.Find(tmp.Root));
        Assert.Contains(tmp.Root, ex.Message);
        Assert.Contains("Notebooks.sln", ex.Message);
    }

    [Fact]
    public void The_repository_data_folder_holds_the_shipped_files()
    {
        var data = DataDirectory.Find();
        Assert.True(File.Exists(Path.Combine(data, "SOURCE.md")));
        Assert.True(File.Exists(Path.Combine(data, "digits", "digits.csv.gz")));
        Assert.True(File.Exists(Path.Combine(data, "mnist-10k", "images-idx3-ubyte.gz")));
        Assert.Equal(Path.Combine(data, "digits", "digits.csv.gz"), DigitsCsv.DefaultPath);
    }
}
