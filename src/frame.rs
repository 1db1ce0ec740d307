//! Small helpers for reading polars columns into plain vectors, with table-named errors.

use polars::prelude::*;

use crate::error::{Result, TableContext};

/// A string column; nulls read as "".
pub fn strs<'a>(df: &'a DataFrame, name: &str, table: &'static str) -> Result<Vec<&'a str>> {
    Ok(df.column(name).table(table)?.str().table(table)?.iter().map(|s| s.unwrap_or("")).collect())
}

/// A u64 column; nulls read as 0.
pub fn u64s(df: &DataFrame, name: &str, table: &'static str) -> Result<Vec<u64>> {
    let column = df.column(name).table(table)?;
    // counts read back from Parquet are signed (see `report::write_parquet`)
    let column = match column.dtype() {
        DataType::Int64 => column.strict_cast(&DataType::UInt64).table(table)?,
        _ => column.clone(),
    };
    Ok(column.u64().table(table)?.iter().map(|v| v.unwrap_or(0)).collect())
}

/// An i64 column; nulls read as 0.
pub fn i64s(df: &DataFrame, name: &str, table: &'static str) -> Result<Vec<i64>> {
    Ok(df.column(name).table(table)?.i64().table(table)?.iter().map(|v| v.unwrap_or(0)).collect())
}

/// A u32 column; nulls read as 0.
pub fn u32s(df: &DataFrame, name: &str, table: &'static str) -> Result<Vec<u32>> {
    Ok(df.column(name).table(table)?.u32().table(table)?.iter().map(|v| v.unwrap_or(0)).collect())
}

/// A boolean column; nulls read as false.
pub fn bools(df: &DataFrame, name: &str, table: &'static str) -> Result<Vec<bool>> {
    Ok(df.column(name).table(table)?.bool().table(table)?.iter().map(|v| v.unwrap_or(false)).collect())
}

/// An f64 column; nulls read as NaN.
pub fn f64s(df: &DataFrame, name: &str, table: &'static str) -> Result<Vec<f64>> {
    Ok(df.column(name).table(table)?.f64().table(table)?.iter().map(|v| v.unwrap_or(f64::NAN)).collect())
}

/// Round to four decimals, the precision of every ratio column in the reports.
pub fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}
