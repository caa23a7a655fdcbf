using System.Buffers.Binary;
using NetDsl.Examples.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace NetDsl.Examples.Tests;

public class DigitsFileTests
{
    private const int CompressedLength = 1_616_692;

    [Fact]
    public void The_shipped_file_is_copied_beside_the_program_and_located_there()
    {
        var expected = Path.Combine(AppContext.BaseDirectory, "data", "digits.bin");
        File.Exists(expected).ShouldBeTrue();
        if (Environment.GetEnvironmentVariable(DigitsFile.PathVariable) is null)
            DigitsFile.Locate().ShouldBe(expected);
        new FileInfo(expected).Length.ShouldBe(32 + CompressedLength);
    }

    [Fact]
    public void Loading_from_disk_gives_8000_training_and_2000_test_digits_of_28_by_28()
    {
        var dataset = DigitsFile.Load(DigitsFile.Locate());

        dataset.Count.ShouldBe(10_000);
        dataset.Train.Count.ShouldBe(8_000);
        dataset.Test.Count.ShouldBe(2_000);
        dataset.ImageShape.ShouldBe(new ImageShape(28, 28));
        dataset.ClassCount.ShouldBe(10);
        dataset.Train.Name.ShouldBe("train");
        dataset.Test.Name.ShouldBe("test");
        dataset.Source.ShouldBe("digits.bin");
    }

    [Fact]
    public void Both_splits_hold_every_class_in_the_documented_numbers()
    {
        var dataset = DigitsTestFile.Dataset;

        dataset.Train.ClassCounts().ShouldBe([801, 902, 793, 826, 784, 690, 811, 856, 755, 782]);
        dataset.Test.ClassCounts().ShouldBe([200, 225, 198, 206, 196, 173, 203, 214, 189, 196]);
        dataset.Train.Labels.Take(10).ShouldBe(new byte[] { 4, 9, 9, 9, 5, 2, 8, 7, 3, 3 });
        dataset.Train.Labels.ShouldAllBe(label => label <= 9);
    }

    [Fact]
    public void Pixels_are_bytes_with_dark_background_and_bright_ink()
    {
        var train = DigitsTestFile.Dataset.Train;
        var all = Enumerable.Range(0, train.Count).SelectMany(i => train.Pixels(i).ToArray()).ToArray();

        all.Length.ShouldBe(8_000 * 784);
        all.Min().ShouldBe((byte)0);
        all.Max().ShouldBe((byte)255);
        // MNIST digits are mostly background: about 19 % of pixels carry ink.
        (all.Count(p => p > 0) / (double)all.Length).ShouldBeInRange(0.17, 0.21);
    }

    [Fact]
    public void A_batch_is_float32_images_normalised_with_the_mnist_mean_and_std_and_int64_labels()
    {
        using var scope = NewDisposeScope();
        var test = DigitsTestFile.Dataset.Test;

        var (images, labels) = test.CreateBatch([5, 0, 1999]);

        images.shape.ShouldBe([3L, 1, 28, 28]);
        images.dtype.ShouldBe(ScalarType.Float32);
        labels.shape.ShouldBe([3L]);
        labels.dtype.ShouldBe(ScalarType.Int64);
        labels.data<long>().ToArray().ShouldBe([test.Labels[5], test.Labels[0], test.Labels[1999]]);

        var first = images[0].flatten().data<float>().ToArray();
        var raw = test.Pixels(5).ToArray();
        for (var i = 0; i < raw.Length; i++)
            first[i].ShouldBe((raw[i] / 255f - 0.1307f) / 0.3081f, 1e-6f);
        images.min().item<float>().ShouldBe(-0.4242129f, 1e-6f);
    }

    [Fact]
    public void Normalised_training_images_have_roughly_zero_mean_and_unit_deviation()
    {
        using var scope = NewDisposeScope();
        var (images, _) = DigitsTestFile.Dataset.Train.ToTensors();

        images.shape.ShouldBe([8_000L, 1, 28, 28]);
        images.mean().item<float>().ShouldBe(0f, 0.05f);
        images.std().item<float>().ShouldBe(1f, 0.05f);
    }

    [Fact]
    public void Take_keeps_the_first_images_of_a_split()
    {
        var train = DigitsTestFile.Dataset.Train;
        var subset = train.Take(512);

        subset.Count.ShouldBe(512);
        subset.Labels.ShouldBe(train.Labels.Take(512));
        subset.Pixels(511).ToArray().ShouldBe(train.Pixels(511).ToArray());
        subset.ClassCounts().ShouldAllBe(count => count >= 40); // the file interleaves classes
    }

    [Fact]
    public void A_file_cut_short_is_refused_saying_how_much_is_missing()
    {
        var cut = DigitsTestFile.Bytes[..(32 + 1_204)];

        var error = Should.Throw<InvalidDataException>(() => DigitsFile.Read(cut, "digits.bin"));

        error.Message.ShouldBe(
            "digits.bin is truncated: expected 1,616,692 bytes of compressed images after the header, found 1,204");
    }

    [Fact]
    public void A_file_shorter_than_its_header_is_refused()
    {
        var error = Should.Throw<InvalidDataException>(() => DigitsFile.Read(DigitsTestFile.Bytes[..10], "digits.bin"));

        error.Message.ShouldBe("digits.bin is truncated: expected a 32-byte header, found 10 bytes");
    }

    [Fact]
    public void A_file_whose_images_inflate_short_is_refused_saying_how_many_pixels_are_missing()
    {
        // A consistent header over a payload that stops after 10,000 labels and 1,204 pixel bytes.
        var payload = new byte[10_000 + 1_204];
        using var compressed = new MemoryStream();
        using (var deflate = new System.IO.Compression.DeflateStream(compressed, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
            deflate.Write(payload);
        var file = DigitsTestFile.Bytes[..32].Concat(compressed.ToArray()).ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(24), (uint)compressed.Length);

        var error = Should.Throw<InvalidDataException>(() => DigitsFile.Read(file, "digits.bin"));

        error.Message.ShouldBe("digits.bin is truncated: expected 7,840,000 bytes of pixels, found 1,204");
    }

    [Fact]
    public void A_file_with_another_magic_is_refused()
    {
        var file = DigitsTestFile.Copy();
        "GIF8"u8.CopyTo(file);

        var error = Should.Throw<InvalidDataException>(() => DigitsFile.Read(file, "digits.bin"));

        error.Message.ShouldBe("digits.bin is not a digits file: expected magic \"NDIG\", found \"GIF8\"");
    }

    [Fact]
    public void A_file_of_a_later_version_is_refused()
    {
        var file = DigitsTestFile.Copy();
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(4), 2);

        Should.Throw<InvalidDataException>(() => DigitsFile.Read(file, "digits.bin"))
            .Message.ShouldBe("digits.bin has format version 2; this reader understands version 1");
    }

    [Fact]
    public void A_checksum_that_does_not_match_the_images_is_refused()
    {
        var file = DigitsTestFile.Copy();
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(28), 0xDEADBEEF);

        var error = Should.Throw<InvalidDataException>(() => DigitsFile.Read(file, "digits.bin"));

        error.Message.ShouldBe("digits.bin is corrupt: checksum of the images is 72d90433, the header says deadbeef");
    }

    [Fact]
    public void Damaged_compressed_bytes_are_refused_as_corrupt()
    {
        var file = DigitsTestFile.Copy();
        for (var i = 400_000; i < 400_064; i++)
            file[i] ^= 0x5A;

        var error = Should.Throw<InvalidDataException>(() => DigitsFile.Read(file, "digits.bin"));

        error.Message.ShouldStartWith("digits.bin is corrupt: ");
    }

    [Fact]
    public void A_header_whose_sizes_disagree_is_refused()
    {
        var file = DigitsTestFile.Copy();
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(6), 32); // 32 rows

        Should.Throw<InvalidDataException>(() => DigitsFile.Read(file, "digits.bin")).Message.ShouldBe(
            "digits.bin has an inconsistent header: 10,000 images of 32x28 need 8,970,000 payload bytes, header says 7,850,000");
    }

    [Fact]
    public void Locate_names_a_missing_explicit_path()
    {
        var error = Should.Throw<FileNotFoundException>(() => DigitsFile.Locate("/nonexistent/digits.bin"));

        error.Message.ShouldBe("digits file not found: /nonexistent/digits.bin");
    }
}
