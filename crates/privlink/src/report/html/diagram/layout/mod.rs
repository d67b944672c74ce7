//! Geometry of the diagram: where each VPC box, edge item, AZ column, subnet, chip and link goes.
//!
//! VPC boxes are stacked vertically. Inside one, from the top: its title, the edge band (internet
//! and NAT gateways, gateway endpoints, services without a path), a channel where links run
//! horizontally, the AZ headers, then one column per AZ with its subnets stacked. Each column has
//! a gutter on its right where links run vertically, each in a lane of its own, so a link never
//! crosses a subnet box: it leaves its subnet sideways, runs along a gutter, and turns into its
//! target (a subnet's side in the same or the next column; through the channel to the edge or to
//! a column further away). Every link has its own port on each box side and its own lanes, so no
//! two overlap ([`routing`]).
//!
//! Text has no metrics here: labels use a monospace font whose advance is at most [`CHAR_W`], and
//! are cut with `…` to fit (the tooltip keeps the whole name). All coordinates are integers.

use std::collections::BTreeMap;

use super::scene::{Scene, SubnetBox, VpcBox};

mod routing;

use routing::{RouteEnd, Side, Slot, route_links, routes};

/// The widest a character of the diagram's 11px monospace font is.
pub(crate) const CHAR_W: i32 = 7;
/// Space around the whole picture.
pub(crate) const MARGIN: i32 = 16;
/// The legend's height.
const LEGEND_H: i32 = 56;
/// The legend's width.
const LEGEND_W: i32 = 800;
const PAD: i32 = 14;
const SUBNET_W: i32 = 288;
const GAP: i32 = 16;
const TITLE_H: i32 = 34;
const EDGE_H: i32 = 24;
const CHIP_H: i32 = 18;
const CHIP_ROW: i32 = 22;
const LINE_H: i32 = 16;
const PORT_STEP: i32 = 7;
const LANE_STEP: i32 = 6;
const CHANNEL_STEP: i32 = 5;
const MIN_INNER_W: i32 = 600;

/// An axis-aligned rectangle.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Rect {
    pub(crate) x: i32,
    pub(crate) y: i32,
    pub(crate) w: i32,
    pub(crate) h: i32,
}

impl Rect {
    fn right(self) -> i32 {
        self.x + self.w
    }

    fn bottom(self) -> i32 {
        self.y + self.h
    }
}

/// The placed picture.
#[derive(Debug)]
pub(crate) struct Layout {
    pub(crate) width: i32,
    pub(crate) height: i32,
    pub(crate) vpcs: Vec<VpcGeometry>,
}

/// One placed VPC box; vectors are parallel to the scene's.
#[derive(Debug)]
pub(crate) struct VpcGeometry {
    pub(crate) rect: Rect,
    /// Where the edge band starts (for the note when it is empty).
    pub(crate) edge_band: Rect,
    pub(crate) edge: Vec<Rect>,
    /// Per column: its header and its subnets.
    pub(crate) columns: Vec<ColumnGeometry>,
    /// Per link: the polyline from the source port to the target.
    pub(crate) links: Vec<Vec<(i32, i32)>>,
}

/// One placed AZ column.
#[derive(Debug)]
pub(crate) struct ColumnGeometry {
    pub(crate) header: Rect,
    pub(crate) subnets: Vec<SubnetGeometry>,
}

/// One placed subnet.
#[derive(Debug)]
pub(crate) struct SubnetGeometry {
    pub(crate) rect: Rect,
    /// The baseline of each workload line.
    pub(crate) workloads: Vec<i32>,
    pub(crate) chips: Vec<Rect>,
}

/// `text` cut to `max` characters, with `…` when cut.
pub(crate) fn fit(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// The most characters of a label inside a subnet box.
pub(crate) const SUBNET_CHARS: usize = ((SUBNET_W - 16) / CHAR_W) as usize;
/// The most characters of a chip label.
pub(crate) const CHIP_CHARS: usize = 18;
/// The most characters of an edge item label.
pub(crate) const EDGE_CHARS: usize = 44;

fn text_w(text: &str) -> i32 {
    i32::try_from(text.chars().count()).unwrap_or(i32::MAX / 2) * CHAR_W
}

fn chip_w(label: &str) -> i32 {
    12 + text_w(&fit(label, CHIP_CHARS))
}

fn edge_w(label: &str) -> i32 {
    16 + text_w(&fit(label, EDGE_CHARS))
}

/// Lays out the scene.
pub(crate) fn layout(scene: &Scene) -> Layout {
    let mut y = MARGIN + LEGEND_H;
    let mut width = MARGIN * 2 + (MIN_INNER_W + PAD * 2).max(LEGEND_W);
    let mut vpcs = Vec::new();
    for vpc in &scene.vpcs {
        let g = layout_vpc(vpc, MARGIN, y);
        y = g.rect.bottom() + GAP * 2;
        width = width.max(g.rect.right() + MARGIN);
        vpcs.push(g);
    }
    let height = if vpcs.is_empty() {
        // Room for the note that there is nothing to draw.
        y + 30 + MARGIN
    } else {
        y - GAP * 2 + MARGIN
    };
    Layout {
        width,
        height,
        vpcs,
    }
}

fn content_height(s: &SubnetBox) -> i32 {
    let rows = chip_rows(s).len();
    let chips = if rows == 0 {
        0
    } else {
        4 + CHIP_ROW * i32::try_from(rows).unwrap_or(0)
    };
    6 + 18 + LINE_H + LINE_H * i32::try_from(s.workloads.len()).unwrap_or(0) + chips + 8
}

/// The chips of a subnet wrapped into rows: (row, x offset) per chip.
fn chip_rows(s: &SubnetBox) -> Vec<Vec<(usize, i32)>> {
    let mut rows: Vec<Vec<(usize, i32)>> = Vec::new();
    let mut x = 0;
    for (i, chip) in s.chips.iter().enumerate() {
        let w = chip_w(&chip.label);
        if rows.is_empty() || (x > 0 && x + w > SUBNET_W - 16) {
            rows.push(Vec::new());
            x = 0;
        }
        if let Some(row) = rows.last_mut() {
            row.push((i, x));
        }
        x += w + 4;
    }
    rows
}

fn layout_vpc(vpc: &VpcBox, x0: i32, y0: i32) -> VpcGeometry {
    let routes = routes(vpc);
    let columns = vpc.columns.len();
    let drawn = || routes.iter().flatten();
    let mut lanes = vec![0i32; columns.max(1)];
    let mut ports: BTreeMap<(Slot, Side), i32> = BTreeMap::new();
    for r in drawn() {
        lanes[r.gutter] += 1;
        if let Some(g) = r.far_gutter {
            lanes[g] += 1;
        }
        *ports.entry((r.from, r.from_side)).or_default() += 1;
        if let RouteEnd::Subnet(to, side) = r.to {
            *ports.entry((to, side)).or_default() += 1;
        }
    }
    let gutter_w = |c: usize| 16 + LANE_STEP * lanes.get(c).copied().unwrap_or(0);
    let inner_x = x0 + PAD;
    let mut col_x = Vec::new();
    let mut x = inner_x;
    for c in 0..columns {
        col_x.push(x);
        x += SUBNET_W + gutter_w(c);
    }
    let inner_w = (x - inner_x).max(MIN_INNER_W);

    // The edge band: one row (a second row would stand between the first and the lines coming
    // up to it); the box widens to hold it.
    let band_y = y0 + TITLE_H;
    let mut edge = Vec::new();
    let mut ex = inner_x;
    for item in &vpc.edge {
        let w = edge_w(&item.label);
        edge.push(Rect {
            x: ex,
            y: band_y,
            w,
            h: EDGE_H,
        });
        ex += w + 10;
    }
    let inner_w = inner_w.max(ex - 10 - inner_x);
    let band_bottom = if vpc.edge.is_empty() {
        band_y + 18
    } else {
        band_y + EDGE_H
    };
    let edge_links = drawn().filter(|r| r.uses_channel()).count();
    let channel_top = band_bottom + 6;
    let channel_h = 6 + CHANNEL_STEP * i32::try_from(edge_links).unwrap_or(0);
    let header_y = channel_top + channel_h + 4;
    let subnets_y = header_y + 24;

    // Columns and subnets.
    let mut geometry_columns = Vec::new();
    let mut bottom = subnets_y;
    for (c, column) in vpc.columns.iter().enumerate() {
        let mut sy = subnets_y;
        let mut subnets = Vec::new();
        for (r, s) in column.subnets.iter().enumerate() {
            let most_ports = [Side::Left, Side::Right]
                .iter()
                .map(|side| ports.get(&((c, r), *side)).copied().unwrap_or(0))
                .max()
                .unwrap_or(0);
            let h = content_height(s).max(16 + PORT_STEP * most_ports);
            let rect = Rect {
                x: col_x[c],
                y: sy,
                w: SUBNET_W,
                h,
            };
            let workloads = (0..s.workloads.len())
                .map(|i| sy + 6 + 18 + LINE_H + LINE_H * i32::try_from(i + 1).unwrap_or(0) - 4)
                .collect();
            let chips_top =
                sy + 6 + 18 + LINE_H + LINE_H * i32::try_from(s.workloads.len()).unwrap_or(0) + 4;
            let mut chips = vec![Rect::default(); s.chips.len()];
            for (row, placed) in chip_rows(s).iter().enumerate() {
                for (i, offset) in placed {
                    chips[*i] = Rect {
                        x: rect.x + 8 + offset,
                        y: chips_top + CHIP_ROW * i32::try_from(row).unwrap_or(0),
                        w: chip_w(&s.chips[*i].label),
                        h: CHIP_H,
                    };
                }
            }
            subnets.push(SubnetGeometry {
                rect,
                workloads,
                chips,
            });
            sy += h + GAP;
        }
        bottom = bottom.max(sy - GAP);
        geometry_columns.push(ColumnGeometry {
            header: Rect {
                x: col_x[c],
                y: header_y,
                w: SUBNET_W,
                h: 20,
            },
            subnets,
        });
    }
    if columns == 0 {
        bottom = subnets_y + 20;
    }
    let rect = Rect {
        x: x0,
        y: y0,
        w: inner_w + PAD * 2,
        h: bottom + PAD - y0,
    };
    let links = route_links(&routes, &geometry_columns, &edge, &col_x, channel_top);
    VpcGeometry {
        rect,
        edge_band: Rect {
            x: inner_x,
            y: band_y,
            w: inner_w,
            h: band_bottom - band_y,
        },
        edge,
        columns: geometry_columns,
        links,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_cut_to_fit() {
        assert_eq!(fit("aws_subnet.a", 20), "aws_subnet.a");
        assert_eq!(fit("aws_subnet.a_very_long_name", 10), "aws_subne…");
    }
}
