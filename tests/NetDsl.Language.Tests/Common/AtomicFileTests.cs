using NetDsl.IO;

namespace NetDsl.Language.Tests.Common;

public sealed class AtomicFileTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("netdsl-atomic-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Writes_a_new_file_and_replaces_an_existing_one()
    {
        var path = Path.Combine(directory, "a.txt");
        AtomicFile.WriteAllText(path, "first");
        AtomicFile.WriteAllText(path, "second");

        File.ReadAllText(path).ShouldBe("second");
        Directory.GetFiles(directory).ShouldBe([path]);
    }

    [Fact]
    public void A_write_that_fails_half_way_leaves_the_old_file_and_no_temporary()
    {
        var path = Path.Combine(directory, "weights.bin");
        File.WriteAllBytes(path, [1, 2, 3]);

        Should.Throw<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write(new byte[4096]);
            throw new InvalidOperationException("disk full");
        }));

        File.ReadAllBytes(path).ShouldBe(new byte[] { 1, 2, 3 });
        Directory.GetFiles(directory).ShouldBe([path]);
    }

    [Fact]
    public void EnsureWritable_names_a_missing_directory_and_a_directory_target()
    {
        Should.Throw<IOException>(() => AtomicFile.EnsureWritable(Path.Combine(directory, "missing", "x.dot")))
            .Message.ShouldContain("does not exist");
        Should.Throw<IOException>(() => AtomicFile.EnsureWritable(directory)).Message.ShouldContain("is a directory");
        AtomicFile.EnsureWritable(Path.Combine(directory, "ok.dot"));
        Directory.GetFiles(directory).ShouldBeEmpty();
    }
}
